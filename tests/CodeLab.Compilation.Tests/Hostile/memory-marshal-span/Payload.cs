using System.Runtime.InteropServices;
namespace RateLimiting;
public static class Sneak { public static int Read(ref int start) => MemoryMarshal.CreateSpan(ref start, 1 << 20)[4096]; }
