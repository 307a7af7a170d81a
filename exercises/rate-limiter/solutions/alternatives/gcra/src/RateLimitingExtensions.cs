using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Throttling;

public static class RateLimitingExtensions
{
    public static IServiceCollection AddTenantRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        var options = new RateLimitOptions();
        configuration.Bind(options);
        services.AddSingleton(sp => new TenantRateLimiter(options, sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    public static IApplicationBuilder UseTenantRateLimiting(this IApplicationBuilder app)
    {
        var limiter = app.ApplicationServices.GetRequiredService<TenantRateLimiter>();
        return app.Use(async (context, next) =>
        {
            if (!context.Request.Headers.TryGetValue("X-Tenant-Id", out var tenant) || string.IsNullOrWhiteSpace(tenant))
            {
                context.Response.StatusCode = 400;
                return;
            }
            var decision = limiter.TryAcquire(tenant!);
            context.Response.Headers.Append("RateLimit-Limit", limiter.LimitFor(tenant!).Capacity.ToString());
            context.Response.Headers.Append("RateLimit-Remaining", decision.Remaining.ToString());
            if (!decision.Allowed)
            {
                context.Response.StatusCode = 429;
                context.Response.Headers.Append("Retry-After", ((int)Math.Ceiling(decision.RetryAfter.TotalSeconds)).ToString());
                return;
            }
            await next(context);
        });
    }
}
