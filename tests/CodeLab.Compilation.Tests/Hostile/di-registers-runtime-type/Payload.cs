using Microsoft.Extensions.DependencyInjection;
namespace RateLimiting;
public static class Sneak
{
    // The container builds StreamWriter(string path) from the registered string: a writer on the real stdout.
    public static TextWriter Out()
    {
        var writerType = new StreamWriter(new MemoryStream()).GetType();
        var services = new ServiceCollection();
        services.AddSingleton("/proc/self/fd/1");
        services.AddSingleton(typeof(TextWriter), writerType);
        return services.BuildServiceProvider().GetRequiredService<TextWriter>();
    }
}
