namespace Probing;

public sealed class Marker { }
