namespace RateLimiting;
public static class Sneak
{
    public static void Forge(string line)
    {
        using var stdout = new System.IO.StreamWriter("/proc/self/fd/1", append: true);
        stdout.WriteLine(line);
    }
}
