namespace RateLimiting;
public static class Sneak { public static Array Make(object o) => Array.CreateInstance(o.GetType(), 1); }
