using System.Diagnostics;
using CodeLab.Judge;
using Shouldly;
using Xunit;
using static RateLimiter.Distributed.Tests.Limiter;

namespace RateLimiter.Distributed.Tests;

/// <summary>
/// Redis stopped and started again. Named to run last (tests run in ordinal order of their class names): a replica
/// that recovers slowly, or not at all, fails this test only, never the bucket or shared-bucket tests as well.
/// </summary>
[Trait("level", "senior")]
public sealed class WithoutRedisHiddenTests
{
    /// <summary>
    /// The statement: "fail open and answer within a second, not after a long time-out". Judged on the typical answer,
    /// the 90th percentile of at least 20, so that one answer a busy grading machine held up (a correct GCRA service
    /// once took 2.1 s on one request, two grades sharing two cores) does not decide the grade, while a service that
    /// waits for a long time-out on more than one answer in ten still fails. The slowest answer is shown, not judged.
    /// </summary>
    const double TypicalBoundMs = 1000;
    const int AtLeastAnswers = 20;
    const int OutageClients = 4;

    /// <summary>The statement: "limiting resumes by itself within 10 seconds"; 2 s more for spending a bucket to see it.</summary>
    static readonly TimeSpan Recovery = TimeSpan.FromSeconds(10);
    static readonly TimeSpan RecoveryHeadroom = TimeSpan.FromSeconds(2);

    [Fact(DisplayName = "Redis stopped: every replica keeps admitting (fail open, no RateLimit headers), 9 answers in 10 within a second; Redis back, empty: every replica limits again within 10 s (+2 s to observe it)")]
    [Trait("criterion", "outage")]
    public async Task Fails_open_then_recovers()
    {
        // Limiting works before the outage (on one replica: sharing is graded elsewhere).
        var (before, took) = await SpendAsync(NewTenant());
        Spent(before, took).ShouldBeTrue($"the service must limit before Redis stops: {Describe(before)}");

        // At least 3 s and at least 20 answers, from 4 clients at once, each sending its next request 100 ms after its
        // last answer, over the replicas in turn; none sent after 10 s, so a service that waits 5 s per answer is not
        // waited for 100 s. Four at a time, so that a correct service that answers after a short time-out (half a
        // second) gives its 20 answers in about 3 s, not 10 s.
        var during = new List<Hit>();
        await Control.StopRedisAsync(Ct);
        long restarted;
        try
        {
            var tenant = NewTenant();
            var started = Stopwatch.GetTimestamp();
            var sent = -1;
            async Task ClientAsync()
            {
                while (true)
                {
                    var elapsed = Stopwatch.GetElapsedTime(started);
                    lock (during)
                    {
                        if (elapsed >= TimeSpan.FromSeconds(10) || (elapsed >= TimeSpan.FromSeconds(3) && during.Count >= AtLeastAnswers)) return;
                    }
                    var hit = await HitAsync(tenant, Interlocked.Increment(ref sent));
                    lock (during) during.Add(hit);
                    await Task.Delay(100, Ct);
                }
            }
            await Task.WhenAll(Enumerable.Range(0, OutageClients).Select(_ => ClientAsync()));
        }
        finally
        {
            await Control.StartRedisAsync(Ct);
            restarted = Stopwatch.GetTimestamp();
        }

        // Redis is back, empty: every replica must limit again by itself, without a restart, within the statement's
        // 10 s of Redis's start (a replica is seen limiting once a fresh tenant's bucket is spent on it).
        var deadline = Recovery + RecoveryHeadroom;
        var recovered = new List<string>();
        var stuck = new List<string>();
        var slowestRecovery = TimeSpan.Zero;
        for (var replica = 0; replica < Service.Replicas.Count; replica++)
        {
            List<Hit> last;
            bool limits;
            while (true)
            {
                (last, var spentIn) = await SpendAsync(NewTenant(), replica);
                limits = Spent(last, spentIn) && last.All(h => h.Status is 200 or 429);
                if (limits || Stopwatch.GetElapsedTime(restarted) >= deadline) break;
                await Task.Delay(250, Ct);
            }
            var after = Stopwatch.GetElapsedTime(restarted);
            if (limits && after <= deadline)
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
        var withHeaders = during.Count(h => h.Limit is not null || h.Remaining is not null || h.RetryAfter is not null);
        Checks.Record($"answers other than 200 while Redis was stopped (of {during.Count})", 0, failed);
        Checks.Record($"answers with RateLimit headers while Redis was stopped (of {during.Count})", 0, withHeaders);
        Checks.Record("90th percentile of answer times while Redis was stopped (ms)", $"< {TypicalBoundMs}", Math.Round(typical), typical < TypicalBoundMs);
        Checks.Record("slowest answer while Redis was stopped (ms, shown, not judged)", "-", Math.Round(times[^1]), true);
        Checks.Record($"replicas not limiting again {deadline.TotalSeconds:0} s after Redis came back", 0, stuck.Count);
        if (stuck.Count == 0) Checks.Record("last replica to limit again after Redis came back (s)", $"< {deadline.TotalSeconds:0}", Math.Round(slowestRecovery.TotalSeconds, 1), true);
        failed.ShouldBe(0, $"with Redis stopped the API must stay available (fail open): {Describe(during)}");
        withHeaders.ShouldBe(0, $"with Redis stopped the service knows no bucket, so it must admit without RateLimit headers: {string.Join("; ", during.Where(h => h.Limit is not null || h.Remaining is not null).Take(3))}");
        typical.ShouldBeLessThan(TypicalBoundMs,
            $"with Redis stopped answers must come within a second, not after a long time-out: 90th percentile {typical:0} ms of {during.Count} answers (slowest {times[^1]:0} ms)");
        stuck.ShouldBeEmpty($"{deadline.TotalSeconds:0} s after Redis came back these replicas still do not limit: {string.Join("; ", stuck)} (recovered: {string.Join(", ", recovered)})");
    }
}
