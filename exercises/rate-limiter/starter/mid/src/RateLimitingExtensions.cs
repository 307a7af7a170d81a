using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Throttling;

public static class RateLimitingExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="TenantRateLimiter"/> with options bound from <paramref name="configuration"/>
    /// (the "RateLimiting" section). Uses the <see cref="TimeProvider"/> registered in the container, and
    /// registers <see cref="TimeProvider.System"/> only when there is none.
    /// </summary>
    public static IServiceCollection AddTenantRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        throw new NotImplementedException();
    }

    /// <summary>Adds the middleware that limits every request by its X-Tenant-Id header.</summary>
    public static IApplicationBuilder UseTenantRateLimiting(this IApplicationBuilder app)
    {
        throw new NotImplementedException();
    }
}
