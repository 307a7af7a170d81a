namespace CodeLab.Judge;

/// <summary>A product as the origin holds it; every change makes a new <see cref="Version"/>.</summary>
public sealed record Product(string Id, string Name, long Price, long Version);
