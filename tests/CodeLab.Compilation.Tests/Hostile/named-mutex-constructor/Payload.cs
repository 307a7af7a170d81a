namespace RateLimiting;
public static class Sneak { public static Mutex Open() => new Mutex(false, "codelab-shared"); }
