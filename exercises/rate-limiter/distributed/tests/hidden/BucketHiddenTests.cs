using System.Diagnostics;
using CodeLab.Judge;
using Shouldly;
using Xunit;
using static RateLimiter.Distributed.Tests.Limiter;

namespace RateLimiter.Distributed.Tests;

[Trait("level", "senior")]
public sealed class BucketHiddenTests
{
    [Fact(DisplayName = "A new tenant gets its burst of RATE_LIMIT_CAPACITY requests (12 here), then 429")]
    [Trait("criterion", "bucket")]
    public async Task Burst_then_denied()
    {
        var (hits, elapsed) = await FromRedisAsync(() => SpendAsync(NewTenant()), r => r.Hits);

        hits.Take(Capacity).Count(h => !h.Admitted).ShouldBe(0, $"the first {Capacity} requests of a new tenant must be admitted: {Describe(hits)}");
        hits.Count(h => h.Admitted).ShouldBeLessThanOrEqualTo(MostAdmitted(elapsed),
            $"a bucket of {Capacity} refilling at {RefillPerSecond}/s admitted {Describe(hits)} in {elapsed.TotalMilliseconds:0} ms");
        hits.Last().Status.ShouldBe(429, $"after the burst a request must be denied: {Describe(hits)} in {elapsed.TotalMilliseconds:0} ms");
    }

    [Fact(DisplayName = "Tokens come back continuously: 4.5 s after the burst is spent, 2 requests get through (0.5 per second), not a new burst")]
    [Trait("criterion", "bucket")]
    public async Task Refill_is_continuous()
    {
        var (burst, took, later, least, most) = await FromRedisAsync(async () =>
        {
            var tenant = NewTenant();
            var started = Stopwatch.GetTimestamp();
            var (burst, took) = await SpendAsync(tenant);
            var spent = Stopwatch.GetTimestamp();
            if (!Spent(burst, took)) return (burst, took, Later: new List<Hit>(), Least: 0, Most: 0);

            await Task.Delay(TimeSpan.FromSeconds(4.5), Ct);
            var resumed = Stopwatch.GetTimestamp();
            var later = await SequenceAsync(tenant, 6);
            var ended = Stopwatch.GetTimestamp();

            // At least the tokens that came back between the end of the burst and the first later request;
            // at most what a full bucket can admit over the whole test.
            var least = (int)Math.Floor(RefillPerSecond * Stopwatch.GetElapsedTime(spent, resumed).TotalSeconds);
            var most = MostAdmitted(Stopwatch.GetElapsedTime(started, ended)) - burst.Count(h => h.Admitted);
            return (burst, took, Later: later, Least: least, Most: most);
        }, r => r.burst.Concat(r.Later));
        Spent(burst, took).ShouldBeTrue($"the burst must be spent first: {Describe(burst)}");

        var admitted = later.Count(h => h.Admitted);
        admitted.ShouldBeGreaterThanOrEqualTo(least, $"tokens must come back at {RefillPerSecond}/s: {Describe(later)} after a 4.5 s pause");
        admitted.ShouldBeLessThanOrEqualTo(most, $"a spent bucket must not be refilled at once: {Describe(later)} after a 4.5 s pause");
    }

    [Fact(DisplayName = "A tenant that spent its burst leaves another tenant's bucket full")]
    [Trait("criterion", "isolation")]
    public async Task Tenants_are_apart()
    {
        var (spent, took, hits) = await FromRedisAsync(async () =>
        {
            var (spent, took) = await SpendAsync(NewTenant());
            return (spent, took, Other: Spent(spent, took) ? await SequenceAsync(NewTenant(), Capacity) : []);
        }, r => r.spent.Concat(r.Other));
        Spent(spent, took).ShouldBeTrue($"the busy tenant's burst must be spent first: {Describe(spent)}");

        hits.Count(h => !h.Admitted).ShouldBe(0, $"a fresh tenant must get its own {Capacity}: {Describe(hits)}");
        hits[0].Remaining.ShouldBe(Capacity - 1, $"a fresh tenant's first request leaves {Capacity - 1} tokens: {hits[0]}");
    }

    [Fact(DisplayName = "Tenant names that look alike (case, prefixes) still get their own buckets")]
    [Trait("criterion", "isolation")]
    public async Task Similar_names_are_apart()
    {
        var (tenant, spent, took, others) = await FromRedisAsync(async () =>
        {
            var tenant = NewTenant();
            var (spent, took) = await SpendAsync(tenant);
            var others = new List<(string Name, Hit Hit)>();
            if (Spent(spent, took))
                foreach (var other in new[] { tenant.ToUpperInvariant(), tenant + "x", tenant[..^1] })
                    others.Add((other, await HitAsync(other)));
            return (tenant, spent, took, Others: others);
        }, r => r.spent.Concat(r.Others.Select(o => o.Hit)));
        Spent(spent, took).ShouldBeTrue($"the tenant's burst must be spent first: {Describe(spent)}");

        foreach (var (other, hit) in others)
            hit.Status.ShouldBe(200, $"tenant '{other}' is not '{tenant}'");
    }

    [Fact(DisplayName = "The keys a tenant's requests write to Redis expire once its bucket would be full again (24 s after it was spent, within 1 s early and 2 s late)")]
    [Trait("criterion", "shared")]
    public async Task Keys_expire_when_the_bucket_is_full_again()
    {
        await using var redis = await RedisProbe.ConnectAsync(cancellationToken: Ct);
        var (hits, took, written, elapsed) = await FromRedisAsync(async () =>
        {
            var before = await redis.SnapshotAsync();
            var started = Stopwatch.GetTimestamp();
            var (hits, took) = await SpendAsync(NewTenant());
            var written = New(before, await redis.SnapshotAsync());
            return (hits, took, Written: written, Elapsed: Stopwatch.GetElapsedTime(started));
        }, r => r.hits);
        Spent(hits, took).ShouldBeTrue($"the burst must be spent first: {Describe(hits)}");

        // The bucket started full, so what is left after the burst is the refill during it (at most RefillPerSecond
        // times elapsed): it is full again no sooner than TimeToFull minus that token share's refill time (elapsed)
        // minus the time since the last write (elapsed again), and no later than TimeToFull from now.
        var earliest = TimeToFull - 2 * elapsed - TimeSpan.FromSeconds(1);
        var latest = TimeToFull + TimeSpan.FromSeconds(2);
        var seen = written.Count == 0 ? "none" : string.Join(", ", written.Select(k => $"{k.Key}: {(k.Value < 0 ? "no expiry" : $"{k.Value / 1000.0:0.#} s")}"));
        var wrong = written.Where(k => k.Value < earliest.TotalMilliseconds || k.Value > latest.TotalMilliseconds).ToList();
        Checks.Record("keys of a spent tenant that do not expire when its bucket is full again", 0, wrong.Count);

        written.ShouldNotBeEmpty("the tenant's requests wrote nothing to Redis: the instances cannot share its bucket");
        wrong.ShouldBeEmpty($"a spent bucket of {Capacity} at {RefillPerSecond}/s is full again after {TimeToFull.TotalSeconds:0} s, so its keys should expire " +
                            $"between {earliest.TotalSeconds:0.#} and {latest.TotalSeconds:0.#} s from now; keys written and their expiry: {seen}");
    }
}
