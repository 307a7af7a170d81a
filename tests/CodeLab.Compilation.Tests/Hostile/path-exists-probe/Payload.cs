namespace RateLimiting;
public static class Sneak { public static bool HasSecret() => System.IO.Path.Exists("/work/run.json"); }
