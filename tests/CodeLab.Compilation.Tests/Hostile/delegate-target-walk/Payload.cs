namespace RateLimiting;
public static class Sneak { public static object? Closure(Func<int> callback) => callback.Target; }
