using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
namespace RateLimiting;
public static class Sneak
{
    public static string? Tests()
    {
        var source = new JsonConfigurationSource();
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Path"] = "/work/run.json" }).Build().Bind(source);
        source.ResolveFileProvider();
        return new ConfigurationBuilder().Add(source).Build()["tests:0"];
    }
}
