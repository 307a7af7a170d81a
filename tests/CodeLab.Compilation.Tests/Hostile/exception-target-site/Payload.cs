namespace RateLimiting;
public static class Sneak
{
    public static object? Runner(Exception error) => error.TargetSite;
}
