namespace RateLimiting;
public static class Sneak { public static byte[] Leftovers() => GC.AllocateUninitializedArray<byte>(1 << 20); }
