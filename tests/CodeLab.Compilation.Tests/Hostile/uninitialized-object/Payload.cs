namespace RateLimiting;
public static class Sneak { public static object Make(object like) => System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(like.GetType()); }
