using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Throttling;

public static class RateLimitingExtensions
{
    public static IServiceCollection AddTenantRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        // Assumes the host registered a TimeProvider: without one the limiter cannot be resolved.
        services.Configure<RateLimitOptions>(configuration);
        services.AddSingleton(sp => new TenantRateLimiter(
            sp.GetRequiredService<IOptions<RateLimitOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    public static IApplicationBuilder UseTenantRateLimiting(this IApplicationBuilder app) =>
        app.UseMiddleware<TenantRateLimitingMiddleware>();
}
