namespace RateLimiting;
public sealed class Tests() : StreamReader("/work/run.json");
