using System.Diagnostics;
using CodeLab.Judge;
using Shouldly;
using Xunit;

namespace RateLimiter.Distributed.Tests;

/// <summary>
/// The shape of the API, on one instance. The grader runs these with hidden tests over three instances. The limits
/// are what the grader configures and src/Properties/launchSettings.json sets: RATE_LIMIT_CAPACITY 12,
/// RATE_LIMIT_REFILL_PER_SECOND 0.5.
/// </summary>
[Trait("level", "senior")]
public sealed class LimiterPublicTests
{
    const int Capacity = 12;
    const double RefillPerSecond = 0.5;

    static async Task<HttpResponseMessage> GetAsync(string? tenant)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/orders");
        if (tenant is not null) request.Headers.Add("X-Tenant-Id", tenant);
        return await Service.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Fact(DisplayName = "A request without X-Tenant-Id is refused with 400")]
    [Trait("criterion", "http")]
    public async Task Missing_tenant_is_400()
    {
        using var response = await GetAsync(null);
        ((int)response.StatusCode).ShouldBe(400);
    }

    [Fact(DisplayName = "A new tenant gets its 12 requests, then 429 with Retry-After and RateLimit headers")]
    [Trait("criterion", "bucket")]
    public async Task Burst_then_429()
    {
        var tenant = "pub-" + Guid.NewGuid().ToString("N");
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < Capacity; i++)
        {
            using var admitted = await GetAsync(tenant);
            ((int)admitted.StatusCode).ShouldBe(200, $"request {i + 1} of a new tenant");
            admitted.Headers.GetValues("RateLimit-Limit").Single().ShouldBe("12");
        }
        // Tokens come back at 0.5 per second: if the 12 took a while (a busy machine), one more may get through before
        // the 429, never more than came back meanwhile.
        var extra = 0;
        var denied = await GetAsync(tenant);
        while ((int)denied.StatusCode == 200 && extra < Capacity && ++extra <= Math.Floor(RefillPerSecond * Stopwatch.GetElapsedTime(started).TotalSeconds))
        {
            denied.Dispose();
            denied = await GetAsync(tenant);
        }
        using var _ = denied;
        ((int)denied.StatusCode).ShouldBe(429, $"{extra} more admitted after the first {Capacity} in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
        // The next token is at most 1 / 0.5 = 2 s away: Retry-After, rounded up, is 1 or 2 whole seconds.
        int.Parse(denied.Headers.GetValues("Retry-After").Single()).ShouldBeInRange(1, 2);
        denied.Headers.GetValues("RateLimit-Remaining").Single().ShouldBe("0");
    }
}
