using System.Diagnostics;
using CodeLab.Judge;
using Shouldly;
using Xunit;
using static RateLimiter.Distributed.Tests.Limiter;

namespace RateLimiter.Distributed.Tests;

[Trait("level", "senior")]
public sealed class SharedHiddenTests
{
    [Fact(DisplayName = "30 requests of one tenant, each to the next of three replicas: 20 admitted in all, not 20 per replica")]
    [Trait("criterion", "shared")]
    public async Task Replicas_share_one_bucket()
    {
        var started = Stopwatch.GetTimestamp();
        var hits = await SequenceAsync(NewTenant(), 30, spread: true);
        var elapsed = Stopwatch.GetElapsedTime(started);

        var admitted = hits.Count(h => h.Admitted);
        Checks.Record("admitted of 30 requests for one tenant over three replicas in turn (limit 20)", $"20 to {MostAdmitted(elapsed)}", admitted,
            admitted >= Capacity && admitted <= MostAdmitted(elapsed));
        admitted.ShouldBeGreaterThanOrEqualTo(Capacity, Describe(hits));
        admitted.ShouldBeLessThanOrEqualTo(MostAdmitted(elapsed), $"three replicas admitted {admitted} of 30 in {elapsed.TotalMilliseconds:0} ms ({Describe(hits)})");
    }

    [Fact(DisplayName = "60 requests of one tenant at the same instant over three replicas, three tenants in a row: never more than the tenant's tokens")]
    [Trait("criterion", "shared")]
    public async Task Simultaneous_requests_spend_each_token_once()
    {
        var worst = 0;
        var rounds = new List<string>();
        for (var round = 0; round < 3; round++)
        {
            var (hits, took) = await BurstAsync(NewTenant(), 60);
            var admitted = hits.Count(h => h.Admitted);
            var over = admitted - MostAdmitted(took);
            worst = Math.Max(worst, over);
            rounds.Add($"round {round + 1}: {Describe(hits)} in {took.TotalMilliseconds:0} ms");
            hits.Count(h => h.Status is not (200 or 429)).ShouldBe(0, $"every answer must be 200 or 429: {rounds[^1]}");
        }
        Checks.Record("requests admitted beyond the tenant's tokens, worst of three bursts of 60 over three replicas", 0, worst);

        worst.ShouldBeLessThanOrEqualTo(0, "simultaneous requests spent the same tokens: " + string.Join("; ", rounds));
    }
}
