using System.Diagnostics;
using CodeLab.Judge;
using Shouldly;
using Xunit;
using static RateLimiter.Distributed.Tests.Limiter;

namespace RateLimiter.Distributed.Tests;

/// <summary>
/// At 0.5 tokens per second three buckets (36 tokens) cannot pass for one (12) unless the requests take 36 s, so the
/// bounds below, which add what came back while the requests were under way, stay tight on a slow machine too.
/// </summary>
[Trait("level", "senior")]
public sealed class SharedHiddenTests
{
    [Fact(DisplayName = "30 requests of one tenant, each to the next of three replicas: the tenant's 12 admitted in all (plus any token that came back meanwhile), not 12 per replica")]
    [Trait("criterion", "shared")]
    public async Task Replicas_share_one_bucket()
    {
        var (hits, elapsed) = await FromRedisAsync(async () =>
        {
            var started = Stopwatch.GetTimestamp();
            var hits = await SequenceAsync(NewTenant(), 30, spread: true);
            return (hits, Elapsed: Stopwatch.GetElapsedTime(started));
        }, r => r.hits);

        var admitted = hits.Count(h => h.Admitted);
        Checks.Record($"admitted of 30 requests for one tenant over three replicas in turn (limit {Capacity})", $"{Capacity} to {MostAdmitted(elapsed)}", admitted,
            admitted >= Capacity && admitted <= MostAdmitted(elapsed));
        hits.Count(h => h.Status is not (200 or 429)).ShouldBe(0, $"every answer must be 200 or 429: {Describe(hits)}");
        admitted.ShouldBeGreaterThanOrEqualTo(Capacity, $"a new tenant must get its {Capacity} tokens, whichever replica answers: {Describe(hits)}");
        admitted.ShouldBeLessThanOrEqualTo(MostAdmitted(elapsed), $"three replicas admitted {admitted} of 30 in {elapsed.TotalMilliseconds:0} ms ({Describe(hits)})");
    }

    [Fact(DisplayName = "60 requests of one tenant at the same instant over three replicas, three tenants in a row: the tenant's tokens, never more, never fewer")]
    [Trait("criterion", "shared")]
    public async Task Simultaneous_requests_spend_each_token_once()
    {
        var worst = 0;
        var fewest = int.MaxValue;
        var rounds = new List<string>();
        for (var round = 0; round < 3; round++)
        {
            var (hits, took) = await FromRedisAsync(() => BurstAsync(NewTenant(), 60), r => r.Hits);
            var admitted = hits.Count(h => h.Admitted);
            worst = Math.Max(worst, admitted - MostAdmitted(took));
            fewest = Math.Min(fewest, admitted);
            rounds.Add($"round {round + 1}: {Describe(hits)} in {took.TotalMilliseconds:0} ms");
            hits.Count(h => h.Status is not (200 or 429)).ShouldBe(0, $"every answer must be 200 or 429: {rounds[^1]}");
        }
        Checks.Record("requests admitted beyond the tenant's tokens, worst of three bursts of 60 over three replicas", 0, worst);

        worst.ShouldBeLessThanOrEqualTo(0, "simultaneous requests spent the same tokens: " + string.Join("; ", rounds));
        fewest.ShouldBeGreaterThanOrEqualTo(Capacity, $"a new tenant's {Capacity} tokens must all be usable, however many requests arrive at once: " + string.Join("; ", rounds));
    }
}
