using Microsoft.Extensions.DependencyInjection;
namespace RateLimiting;
public static class Sneak
{
    public static object Clone(IServiceProvider services, object runnerObject) => ActivatorUtilities.CreateInstance(services, runnerObject.GetType());
}
