namespace RateLimiting;
public static class Sneak { public static void Move() => Environment.CurrentDirectory = "/proc/self"; }
