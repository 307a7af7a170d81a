using System.Diagnostics;
using CodeLab.Judge;
using Shouldly;
using Xunit;
using static RateLimiter.Distributed.Tests.Limiter;

namespace RateLimiter.Distributed.Tests;

[Trait("level", "senior")]
public sealed class OutageHiddenTests
{
    [Fact(DisplayName = "Redis stopped for 3 s: every replica keeps admitting within a second (fail open); Redis back, empty: each replica limits again within 15 s")]
    [Trait("criterion", "outage")]
    public async Task Fails_open_then_recovers()
    {
        // Limiting works before the outage (on one replica: sharing is graded elsewhere).
        (await SequenceAsync(NewTenant(), Capacity + 3)).Last().Status.ShouldBe(429);

        var during = new List<Hit>();
        await Control.StopRedisAsync(Ct);
        try
        {
            var tenant = NewTenant();
            var until = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 3;
            for (var i = 0; Stopwatch.GetTimestamp() < until; i++)
            {
                during.Add(await HitAsync(tenant, i));
                await Task.Delay(100, Ct);
            }
        }
        finally
        {
            await Control.StartRedisAsync(Ct);
        }

        // Redis is back, empty: each replica must limit again by itself, without a restart. Waited for whatever
        // happened above, so that the tests after this one find the service as it recovers on its own.
        static bool Limits(List<Hit> hits) => hits.Any(h => h.Status == 429) && hits.All(h => h.Status is 200 or 429);
        var recovered = new List<string>();
        var stuck = new List<string>();
        for (var replica = 0; replica < Service.Replicas.Count; replica++)
        {
            var started = Stopwatch.GetTimestamp();
            var deadline = started + Stopwatch.Frequency * 15;
            List<Hit> last;
            do
            {
                last = [];
                var tenant = NewTenant();
                for (var i = 0; i < Capacity + 3; i++) last.Add(await HitAsync(tenant, replica));
                if (Limits(last)) break;
                await Task.Delay(500, Ct);
            }
            while (Stopwatch.GetTimestamp() < deadline);
            if (Limits(last))
                recovered.Add($"replica {replica + 1} after {Stopwatch.GetElapsedTime(started).TotalSeconds:0.#} s");
            else
                stuck.Add($"replica {replica + 1} ({Describe(last)})");
        }

        var slowest = during.Max(h => h.Took);
        var failed = during.Count(h => h.Status != 200);
        Checks.Record($"answers other than 200 while Redis was stopped (of {during.Count})", 0, failed);
        Checks.Record("slowest answer while Redis was stopped (ms)", "< 2000", Math.Round(slowest.TotalMilliseconds), slowest < TimeSpan.FromSeconds(2));
        Checks.Record("replicas not limiting again 15 s after Redis came back", 0, stuck.Count);
        failed.ShouldBe(0, $"with Redis stopped the API must stay available (fail open): {Describe(during)}");
        slowest.ShouldBeLessThan(TimeSpan.FromSeconds(2), $"with Redis stopped answers must not wait for long time-outs: slowest {slowest.TotalMilliseconds:0} ms");
        stuck.ShouldBeEmpty($"15 s after Redis came back these replicas still do not limit: {string.Join("; ", stuck)} (recovered: {string.Join(", ", recovered)})");
    }
}
