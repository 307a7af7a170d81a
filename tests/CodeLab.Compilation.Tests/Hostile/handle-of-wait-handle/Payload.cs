namespace RateLimiting;
public static class Sneak { public static nint Handle(ManualResetEvent e) => e.Handle; }
