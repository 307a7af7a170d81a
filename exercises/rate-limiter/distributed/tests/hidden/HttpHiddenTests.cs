using Shouldly;
using Xunit;
using static RateLimiter.Distributed.Tests.Limiter;

namespace RateLimiter.Distributed.Tests;

[Trait("level", "senior")]
public sealed class HttpHiddenTests
{
    [Fact(DisplayName = "No X-Tenant-Id, or an empty one: 400, on every path under /api/")]
    [Trait("criterion", "http")]
    public async Task Missing_tenant_is_refused()
    {
        (await HitAsync(tenant: null)).Status.ShouldBe(400);
        (await HitAsync("")).Status.ShouldBe(400);
        (await HitAsync(tenant: null, path: "/api/customers/42")).Status.ShouldBe(400);
    }

    [Fact(DisplayName = "Admitted answers carry RateLimit-Limit and a RateLimit-Remaining that counts down")]
    [Trait("criterion", "http")]
    public async Task Admitted_answers_carry_headers()
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var hits = await SequenceAsync(NewTenant(), 5);
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);

        var seen = string.Join("; ", hits);
        hits.ShouldAllBe(h => h.Admitted && h.Limit == Capacity && h.Remaining != null, seen);
        hits[0].Remaining.ShouldBe(Capacity - 1, seen);
        for (var i = 1; i < hits.Count; i++) hits[i].Remaining!.Value.ShouldBeLessThanOrEqualTo(hits[i - 1].Remaining!.Value, seen);
        // Five tokens spent; whatever came back meanwhile at most.
        hits[^1].Remaining!.Value.ShouldBeLessThanOrEqualTo(Capacity - 5 + (int)Math.Floor(RefillPerSecond * elapsed.TotalSeconds), seen);
    }

    [Fact(DisplayName = "A denied request gets 429 with Retry-After in whole seconds rounded up, and waiting that long gets through")]
    [Trait("criterion", "http")]
    public async Task Denied_answers_say_when_to_retry()
    {
        var tenant = NewTenant();
        var (hits, _) = await SpendAsync(tenant);
        var denied = hits.Last();

        denied.Status.ShouldBe(429, Describe(hits));
        denied.Limit.ShouldBe(Capacity, denied.ToString());
        denied.Remaining.ShouldBe(0, denied.ToString());
        int.TryParse(denied.RetryAfter, out var seconds).ShouldBeTrue($"Retry-After must be whole seconds: {denied}");
        seconds.ShouldBe(1, $"the next token comes within 0.5 s at {RefillPerSecond}/s, so Retry-After rounded up is 1: {denied}");

        await Task.Delay(TimeSpan.FromSeconds(seconds), Ct);
        (await HitAsync(tenant)).Status.ShouldBe(200, "a client that waited Retry-After must get through");
    }
}
