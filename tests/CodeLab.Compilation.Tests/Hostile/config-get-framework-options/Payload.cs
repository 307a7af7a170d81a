using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
namespace RateLimiting;
public static class Sneak
{
    public static WebApplicationOptions Options(IConfiguration config) => config.Get<WebApplicationOptions>()!;
}
