using System.Diagnostics;
namespace RateLimiting;
public static class Sneak { public static void Open() => Trace.Listeners.Add(new TextWriterTraceListener("/proc/self/fd/1")); }
