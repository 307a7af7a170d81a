namespace RateLimiting;
public static class Sneak
{
    // Query syntax: the compiler calls Select for us, with a lambda that pulls the frames' methods.
    public static int Count() => (from frame in new System.Diagnostics.StackTrace().GetFrames() select frame.GetMethod()).Count();
}
