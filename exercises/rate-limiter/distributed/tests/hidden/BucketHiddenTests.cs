using System.Diagnostics;
using Shouldly;
using Xunit;
using static RateLimiter.Distributed.Tests.Limiter;

namespace RateLimiter.Distributed.Tests;

[Trait("level", "senior")]
public sealed class BucketHiddenTests
{
    [Fact(DisplayName = "A new tenant gets its burst of 20 requests, then 429")]
    [Trait("criterion", "bucket")]
    public async Task Burst_then_denied()
    {
        var (hits, elapsed) = await SpendAsync(NewTenant());

        hits.Take(Capacity).Count(h => !h.Admitted).ShouldBe(0, $"the first {Capacity} requests of a new tenant must be admitted: {Describe(hits)}");
        hits.Count(h => h.Admitted).ShouldBeLessThanOrEqualTo(MostAdmitted(elapsed), $"{Describe(hits)} in {elapsed.TotalMilliseconds:0} ms");
        hits.Last().Status.ShouldBe(429, $"after the burst a request must be denied: {Describe(hits)} in {elapsed.TotalMilliseconds:0} ms");
    }

    [Fact(DisplayName = "Tokens come back continuously: 1.6 s after the burst is spent, 3 requests get through (2 per second), not a new burst")]
    [Trait("criterion", "bucket")]
    public async Task Refill_is_continuous()
    {
        var tenant = NewTenant();
        var started = Stopwatch.GetTimestamp();
        var (burst, took) = await SpendAsync(tenant);
        var spent = Stopwatch.GetTimestamp();
        Spent(burst, took).ShouldBeTrue($"the burst must be spent first: {Describe(burst)}");

        await Task.Delay(TimeSpan.FromSeconds(1.6), Ct);
        var resumed = Stopwatch.GetTimestamp();
        var later = await SequenceAsync(tenant, 10);
        var ended = Stopwatch.GetTimestamp();

        // At least the tokens that came back between the end of the burst and the first later request;
        // at most what a full bucket can admit over the whole test.
        var least = (int)Math.Floor(RefillPerSecond * Stopwatch.GetElapsedTime(spent, resumed).TotalSeconds);
        var most = MostAdmitted(Stopwatch.GetElapsedTime(started, ended)) - burst.Count(h => h.Admitted);
        var admitted = later.Count(h => h.Admitted);
        admitted.ShouldBeGreaterThanOrEqualTo(least, $"tokens must come back at {RefillPerSecond}/s: {Describe(later)} after a 1.6 s pause");
        admitted.ShouldBeLessThanOrEqualTo(most, $"a spent bucket must not be refilled at once: {Describe(later)} after a 1.6 s pause");
    }

    [Fact(DisplayName = "A tenant that spent its burst does not slow another tenant down")]
    [Trait("criterion", "isolation")]
    public async Task Tenants_are_apart()
    {
        var busy = NewTenant();
        var other = NewTenant();
        var (spent, took) = await SpendAsync(busy);
        Spent(spent, took).ShouldBeTrue($"the busy tenant's burst must be spent first: {Describe(spent)}");

        var hits = await SequenceAsync(other, Capacity);

        hits.Count(h => !h.Admitted).ShouldBe(0, $"a fresh tenant must get its own {Capacity}: {Describe(hits)}");
    }

    [Fact(DisplayName = "Tenant names that look alike (case, prefixes) still get their own buckets")]
    [Trait("criterion", "isolation")]
    public async Task Similar_names_are_apart()
    {
        var tenant = NewTenant();
        var (spent, took) = await SpendAsync(tenant);
        Spent(spent, took).ShouldBeTrue($"the tenant's burst must be spent first: {Describe(spent)}");

        foreach (var other in new[] { tenant.ToUpperInvariant(), tenant + "x", tenant[..^1] })
            (await HitAsync(other)).Status.ShouldBe(200, $"tenant '{other}' is not '{tenant}'");
    }
}
