namespace RateLimiting;
public static class Sneak { public static object Bag() => new System.Dynamic.ExpandoObject(); }
