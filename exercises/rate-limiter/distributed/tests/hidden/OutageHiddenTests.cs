using System.Diagnostics;
using CodeLab.Judge;
using Shouldly;
using Xunit;
using static RateLimiter.Distributed.Tests.Limiter;

namespace RateLimiter.Distributed.Tests;

[Trait("level", "senior")]
public sealed class OutageHiddenTests
{
    /// <summary>
    /// The statement: "fail open and answer within a second, not after a long time-out". Judged on the typical answer,
    /// the 90th percentile of at least 20, so that one answer a busy grading machine held up (a correct GCRA service
    /// once took 2.1 s on one request, two grades sharing two cores) does not decide the grade, while a service that
    /// waits for a long time-out on more than one answer in ten still fails. The slowest answer is shown, not judged.
    /// </summary>
    const double TypicalBoundMs = 1000;
    const int AtLeastAnswers = 20;

    [Fact(DisplayName = "Redis stopped: every replica keeps admitting (fail open), 9 answers in 10 within a second; Redis back, empty: each replica limits again within 15 s")]
    [Trait("criterion", "outage")]
    public async Task Fails_open_then_recovers()
    {
        // Limiting works before the outage (on one replica: sharing is graded elsewhere).
        var (before, took) = await SpendAsync(NewTenant());
        Spent(before, took).ShouldBeTrue($"the service must limit before Redis stops: {Describe(before)}");

        // At least 3 s and at least 20 answers, one every 100 ms or so, over the replicas in turn; at most 10 s, so a
        // service that waits 5 s per answer is not waited for 100 s.
        var during = new List<Hit>();
        await Control.StopRedisAsync(Ct);
        try
        {
            var tenant = NewTenant();
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; ; i++)
            {
                var elapsed = Stopwatch.GetElapsedTime(started);
                if (elapsed >= TimeSpan.FromSeconds(10) || (elapsed >= TimeSpan.FromSeconds(3) && during.Count >= AtLeastAnswers)) break;
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
        var recovered = new List<string>();
        var stuck = new List<string>();
        var slowestRecovery = TimeSpan.Zero;
        for (var replica = 0; replica < Service.Replicas.Count; replica++)
        {
            var started = Stopwatch.GetTimestamp();
            var deadline = started + Stopwatch.Frequency * 15;
            List<Hit> last;
            bool limits;
            do
            {
                (last, var spentIn) = await SpendAsync(NewTenant(), replica);
                limits = Spent(last, spentIn) && last.All(h => h.Status is 200 or 429);
                if (limits) break;
                await Task.Delay(500, Ct);
            }
            while (Stopwatch.GetTimestamp() < deadline);
            var after = Stopwatch.GetElapsedTime(started);
            if (limits)
            {
                recovered.Add($"replica {replica + 1} after {after.TotalSeconds:0.#} s");
                if (after > slowestRecovery) slowestRecovery = after;
            }
            else
            {
                stuck.Add($"replica {replica + 1} ({Describe(last)})");
            }
        }

        var times = during.Select(h => h.Took.TotalMilliseconds).Order().ToList();
        var typical = times[(int)Math.Ceiling(0.9 * times.Count) - 1];
        var failed = during.Count(h => h.Status != 200);
        Checks.Record($"answers other than 200 while Redis was stopped (of {during.Count})", 0, failed);
        Checks.Record("90th percentile of answer times while Redis was stopped (ms)", $"< {TypicalBoundMs}", Math.Round(typical), typical < TypicalBoundMs);
        Checks.Record("slowest answer while Redis was stopped (ms, shown, not judged)", "-", Math.Round(times[^1]), true);
        Checks.Record("replicas not limiting again 15 s after Redis came back", 0, stuck.Count);
        if (stuck.Count == 0) Checks.Record("slowest replica to limit again after Redis came back (s)", "< 15", Math.Round(slowestRecovery.TotalSeconds, 1), true);
        failed.ShouldBe(0, $"with Redis stopped the API must stay available (fail open): {Describe(during)}");
        typical.ShouldBeLessThan(TypicalBoundMs,
            $"with Redis stopped answers must come within a second, not after a long time-out: 90th percentile {typical:0} ms of {during.Count} answers (slowest {times[^1]:0} ms)");
        stuck.ShouldBeEmpty($"15 s after Redis came back these replicas still do not limit: {string.Join("; ", stuck)} (recovered: {string.Join(", ", recovered)})");
    }
}
