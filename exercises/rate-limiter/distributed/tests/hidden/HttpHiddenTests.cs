using System.Diagnostics;
using Shouldly;
using Xunit;
using static RateLimiter.Distributed.Tests.Limiter;

namespace RateLimiter.Distributed.Tests;

[Trait("level", "senior")]
public sealed class HttpHiddenTests
{
    [Fact(DisplayName = "No X-Tenant-Id, an empty or a whitespace-only one: 400, on every path under /api/")]
    [Trait("criterion", "http")]
    public async Task Missing_tenant_is_refused()
    {
        (await HitAsync(tenant: null)).Status.ShouldBe(400, "no X-Tenant-Id");
        (await HitAsync("")).Status.ShouldBe(400, "an empty X-Tenant-Id");
        (await HitAsync("   ")).Status.ShouldBe(400, "a whitespace-only X-Tenant-Id");
        (await HitAsync(tenant: null, path: "/api/customers/42")).Status.ShouldBe(400, "no X-Tenant-Id on /api/customers/42");
    }

    [Fact(DisplayName = "Admitted answers carry RateLimit-Limit and a RateLimit-Remaining that counts the tokens left, from above and below")]
    [Trait("criterion", "http")]
    public async Task Admitted_answers_carry_headers()
    {
        var (_, wrong) = await FromRedisAsync(async () =>
        {
            var tenant = NewTenant();
            var started = Stopwatch.GetTimestamp();
            var hits = new List<Hit>();
            var wrong = new List<string>();
            for (var i = 1; i <= 5; i++)
            {
                var hit = await HitAsync(tenant);
                hits.Add(hit);
                // i tokens spent; whatever came back meanwhile at most (never above the capacity).
                var least = Capacity - i;
                var most = Math.Min(Capacity - 1, Capacity - i + (int)Math.Floor(RefillPerSecond * Stopwatch.GetElapsedTime(started).TotalSeconds));
                if (!hit.Admitted || hit.Limit != Capacity || hit.Remaining is not { } remaining || remaining < least || remaining > most)
                    wrong.Add($"request {i}: {hit} (expected 200, limit {Capacity}, remaining {(least == most ? $"{least}" : $"{least} to {most}")})");
            }
            return (hits, Wrong: wrong);
        }, r => r.hits);

        wrong.ShouldBeEmpty(string.Join("; ", wrong));
    }

    [Fact(DisplayName = "A denied request gets 429 with Retry-After: the wait for the next token (0.5 per second) in whole seconds rounded up, and waiting that long gets through")]
    [Trait("criterion", "http")]
    public async Task Denied_answers_say_when_to_retry()
    {
        // A burst slightly larger than the bucket, released at once. The bucket started full, so after the burst it
        // holds at most the refill of the burst's duration: the next token is at least 1 / RefillPerSecond - took
        // away (2 s less a little), which rounded up is 2 while the burst took under a second and truncated is 1.
        // A burst that took longer (a busy machine) or that the service answered without Redis (Redis slower than the
        // service waits for it: admitted with no RateLimit headers when it fails open, a 5xx when it does not) says
        // little about its answers, so up to four bursts are sent, each for a new tenant; after a burst answered
        // without Redis the next waits 1.5 s, time for a service that fails open for a moment after one slow Redis
        // answer (a circuit breaker) to ask Redis again. What a service does without Redis is the outage criterion's;
        // both kinds of answer are forgiven alike here, so a moment of a slow machine costs neither on this one.
        string tenant;
        IReadOnlyList<Hit> hits;
        TimeSpan took;
        var attempts = new List<string>();
        while (true)
        {
            tenant = NewTenant();
            (hits, took) = await BurstAsync(tenant, Capacity + 4);
            attempts.Add($"{Describe(hits)} in {took.TotalMilliseconds:0} ms");
            var withoutRedis = hits.Any(AnsweredWithoutRedis);
            if (attempts.Count == 4 || (took <= TimeSpan.FromSeconds(0.9) && !withoutRedis)) break;
            if (withoutRedis) await Task.Delay(RedisPause, Ct);
        }
        var denied = hits.Where(h => h.Status == 429).ToList();
        denied.ShouldNotBeEmpty($"{Capacity + 4} requests at once on a bucket of {Capacity}: {string.Join("; ", attempts)}");

        var wait = Math.Max(0, 1 / RefillPerSecond - took.TotalSeconds - 0.05);
        var least = Math.Max(1, (int)Math.Ceiling(wait));
        var most = (int)Math.Ceiling(1 / RefillPerSecond);
        foreach (var hit in denied)
        {
            hit.Limit.ShouldBe(Capacity, hit.ToString());
            hit.Remaining.ShouldBe(0, hit.ToString());
            int.TryParse(hit.RetryAfter, out var seconds).ShouldBeTrue($"Retry-After must be whole seconds: {hit}");
            seconds.ShouldBeInRange(least, most,
                $"the burst took {took.TotalMilliseconds:0} ms, so the next token at {RefillPerSecond}/s was {wait:0.##} s or more away: Retry-After rounded up is {least} to {most}, not {seconds} ({hit})");
        }

        var retryAfter = denied.Max(h => int.Parse(h.RetryAfter!));
        await Task.Delay(TimeSpan.FromSeconds(retryAfter), Ct);
        // A 5xx says Redis was slow for the service at that moment (see above), not that the wait was too short: asked
        // again (FromRedisAsync). A 429 is never asked again.
        var after = await FromRedisAsync(() => HitAsync(tenant), h => [h]);
        after.Status.ShouldBe(200, $"a client that waited Retry-After ({retryAfter} s) must get through: {after}");
    }

    [Fact(DisplayName = "GET /health is not rate limited: three bursts' worth of calls, with and without X-Tenant-Id, all 200 and without RateLimit headers")]
    [Trait("criterion", "http")]
    public async Task Health_is_not_limited()
    {
        var tenant = NewTenant();
        var hits = new List<Hit>();
        for (var i = 0; i < 3 * Capacity; i++) hits.Add(await HitAsync(i % 2 == 0 ? tenant : null, i, "/health"));

        hits.Count(h => h.Status != 200).ShouldBe(0, $"/health answered {Describe(hits)}");
        hits.Count(h => h.Limit is not null || h.Remaining is not null).ShouldBe(0, "/health is not limited, so it carries no RateLimit headers");
        (await FromRedisAsync(() => HitAsync(tenant), h => [h])).Status.ShouldBe(200, "calls to /health do not spend the tenant's tokens");
    }
}
