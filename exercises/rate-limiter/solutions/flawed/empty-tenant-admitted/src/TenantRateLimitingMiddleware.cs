using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Throttling;

/// <summary>
/// Limits every request by its X-Tenant-Id header. Admitted requests go on with RateLimit-Limit and
/// RateLimit-Remaining headers; denied ones end here with 429, the same headers and Retry-After in whole
/// seconds, rounded up so that a client retrying on time is admitted.
/// </summary>
public sealed class TenantRateLimitingMiddleware(RequestDelegate next, TenantRateLimiter limiter)
{
    public const string TenantHeader = "X-Tenant-Id";

    public async Task InvokeAsync(HttpContext context)
    {
        // Refuses a missing header only: an empty or blank one becomes the tenant "" or "   ".
        var tenant = context.Request.Headers[TenantHeader].ToString();
        if (!context.Request.Headers.ContainsKey(TenantHeader))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync($"The {TenantHeader} header is required.");
            return;
        }

        var decision = limiter.TryAcquire(tenant);
        var headers = context.Response.Headers;
        headers["RateLimit-Limit"] = limiter.LimitFor(tenant).Capacity.ToString(CultureInfo.InvariantCulture);
        headers["RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        if (decision.Allowed)
        {
            await next(context);
            return;
        }

        var seconds = Math.Max(1, (long)Math.Ceiling(decision.RetryAfter.TotalSeconds));
        headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        await context.Response.WriteAsync($"Rate limit exceeded for tenant '{tenant}'. Retry after {seconds} s.");
    }
}
