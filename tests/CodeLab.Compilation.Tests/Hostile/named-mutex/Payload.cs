namespace RateLimiting;
public static class Sneak { public static object Open() => Mutex.OpenExisting("codelab"); }
