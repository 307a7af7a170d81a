using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
namespace RateLimiting;
public static class Sneak
{
    // The deserialiser sets Path by name, where the path rule never sees a write.
    public static string? Tests()
    {
        var source = JsonSerializer.Deserialize<JsonConfigurationSource>("{\"Path\":\"/work/run.json\"}")!;
        source.ResolveFileProvider();
        return new ConfigurationBuilder().Add(source).Build()["tests:0"];
    }
}
