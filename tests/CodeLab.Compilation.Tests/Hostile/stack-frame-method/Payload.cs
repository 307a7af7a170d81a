using System.Diagnostics;
namespace RateLimiting;
public static class Sneak { public static string Caller() => new StackFrame(1).GetMethod()?.DeclaringType?.FullName ?? ""; }
