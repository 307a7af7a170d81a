using System.Text;
namespace RateLimiting;
public static class Sneak
{
    public static byte[] Memory()
    {
        using var reader = new System.IO.StreamReader("/proc/self/mem", Encoding.Latin1, false, 4096);
        return Encoding.Latin1.GetBytes(reader.ReadToEnd());
    }
}
