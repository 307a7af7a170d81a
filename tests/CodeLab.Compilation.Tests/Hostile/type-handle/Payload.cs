namespace RateLimiting;
public static class Sneak { public static object Handle(object o) => o.GetType().TypeHandle; }
