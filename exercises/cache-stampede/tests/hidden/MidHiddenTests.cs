using System.Diagnostics;
using CodeLab.Judge;
using Shouldly;
using Xunit;
using static CacheStampede.Tests.Shop;

namespace CacheStampede.Tests;

[Trait("level", "mid")]
public sealed class MidHiddenTests
{
    /// <summary>How long the judge waits for a read to reach the origin; generous for a busy machine.</summary>
    static readonly TimeSpan ReachOrigin = TimeSpan.FromSeconds(10);

    /// <summary>The statement: the origin holds the burst's load for up to 2 s, long enough for the reads to arrive.</summary>
    static readonly TimeSpan Hold = TimeSpan.FromSeconds(2);

    [Fact(DisplayName = "200 simultaneous reads of a cold product: one origin load (held up to 2 s, until a second load would arrive), 200 answers with the product")]
    [Trait("criterion", "coalescing")]
    public async Task Burst_of_cold_reads_loads_once()
    {
        var origin = await OriginAsync();
        var ct = TestContext.Current.CancellationToken;
        var id = NewId();

        origin.HoldLoads();
        var burst = BurstAsync(200, _ => id);
        var loaded = await origin.WaitForLoadsAsync(1, ReachOrigin, id, ct);
        // Held until a second load of the product arrives (a service that does not coalesce sends one at once) or 2 s
        // passed: a coalescing service never sends one, however slowly the reads are scheduled.
        await origin.WaitForLoadsAsync(2, Hold, id, ct);
        origin.ReleaseLoads();
        var reads = await burst;
        var after = await GetAsync(id);
        Checks.Record("origin loads for one cold product after 200 simultaneous reads (one instance)", 1, origin.LoadsOf(id));

        loaded.ShouldBeTrue($"no read reached the origin within {ReachOrigin.TotalSeconds:0} s");
        origin.LoadsOf(id).ShouldBe(1, $"200 simultaneous reads of one cold product made {origin.LoadsOf(id)} origin loads ({Describe(reads)})");
        reads.Count.ShouldBe(200);
        reads.ShouldAllBe(r => r.Is(origin.Current(id)), $"every read must answer the product: {Describe(reads)}");
        after.Is(origin.Current(id)).ShouldBeTrue(after.ToString());
        origin.LoadsOf(id).ShouldBe(1, "the read after the burst must be a hit");
    }

    [Fact(DisplayName = "Cold reads of 10 different products at once: the 10 loads are at the origin together (no lock across products)")]
    [Trait("criterion", "coalescing")]
    public async Task Different_products_load_in_parallel()
    {
        var origin = await OriginAsync();
        var ct = TestContext.Current.CancellationToken;
        var ids = Enumerable.Range(0, 10).Select(_ => NewId()).ToArray();

        origin.HoldLoads();
        var reads = Task.WhenAll(ids.Select(id => GetAsync(id)));
        // 5 s: far more than ten simultaneous reads need to reach the origin, and well inside a 10 s origin time-out.
        var together = await origin.WaitForInFlightAsync(ids.Length, TimeSpan.FromSeconds(5), ct);
        var peak = origin.PeakInFlight;
        origin.ReleaseLoads();
        var answers = await reads;
        Checks.Record("origin loads of 10 different cold products in flight together", 10, peak, peak >= 10);

        together.ShouldBeTrue($"only {peak} of 10 loads of different products were at the origin together within 5 s: loads of different products wait for each other");
        answers.Select((r, i) => r.Is(origin.Current(ids[i]))).ShouldAllBe(ok => ok, $"every read must answer its product: {Describe(answers)}");
    }

    [Fact(DisplayName = "An origin failure (503) during 20 simultaneous reads answers 502 to every one of them and is not cached: the next read loads again and succeeds")]
    [Trait("criterion", "failures")]
    public async Task Failure_is_502_for_every_waiter_and_not_cached()
    {
        var origin = await OriginAsync();
        var ct = TestContext.Current.CancellationToken;
        var id = NewId();

        origin.Fail(id);
        origin.HoldLoads();
        var burst = BurstAsync(20, _ => id);
        var loaded = await origin.WaitForLoadsAsync(1, ReachOrigin, id, ct);
        await origin.WaitForLoadsAsync(2, TimeSpan.FromSeconds(1), id, ct);
        origin.ReleaseLoads();
        var reads = await burst;
        origin.Fail(id, false);
        var loadsBefore = origin.LoadsOf(id);
        var retry = await GetAsync(id);
        Checks.Record("status of the read after the origin recovered from a failure", 200, retry.Status);

        loaded.ShouldBeTrue($"no read reached the origin within {ReachOrigin.TotalSeconds:0} s");
        reads.ShouldAllBe(r => r.Status == 502, $"the origin answered 503 to the load these reads waited for: {Describe(reads)}");
        retry.Is(origin.Current(id)).ShouldBeTrue($"the origin works again, so the next read must load and answer the product: {retry}");
        (origin.LoadsOf(id) - loadsBefore).ShouldBe(1, "the read after the failure must load the product again");
    }

    [Fact(DisplayName = "An origin that cuts the connection answers 502 and is not cached: the next read loads again and succeeds")]
    [Trait("criterion", "failures")]
    public async Task Cut_connection_is_502_and_not_cached()
    {
        var origin = await OriginAsync();
        var id = NewId();

        origin.CutOff(id);
        var failed = await GetAsync(id);
        origin.CutOff(id, false);
        var loadsBefore = origin.LoadsOf(id);
        var retry = await GetAsync(id);
        var replay = await GetAsync(id);

        failed.Status.ShouldBe(502, $"the origin cut the connection: {failed}");
        retry.Is(origin.Current(id)).ShouldBeTrue($"the origin works again, so the next read must load and answer the product: {retry}");
        replay.Is(origin.Current(id)).ShouldBeTrue(replay.ToString());
        (origin.LoadsOf(id) - loadsBefore).ShouldBe(1, "after the failure: one load that succeeded, then a hit");
    }

    [Fact(DisplayName = "30 products cached at the same instant: TTLs in Redis within 80-100 % of CACHE_TTL_SECONDS, expiries spread at least 6 s beyond the time the writes took")]
    [Trait("criterion", "jitter")]
    public async Task Ttls_are_jittered()
    {
        var origin = await OriginAsync();
        var ct = TestContext.Current.CancellationToken;
        await using var redis = await RedisProbe.ConnectAsync();
        var ids = Enumerable.Range(0, 30).Select(_ => NewId()).ToArray();
        var before = await redis.SnapshotAsync();

        origin.HoldLoads();
        var reads = Task.WhenAll(ids.Select(id => GetAsync(id)));
        // Released once the 30 loads are at the origin, or after 3 s whatever arrived: a service whose loads wait for
        // each other (graded under coalescing, not here) writes later, which only widens the window allowed for.
        await origin.WaitForInFlightAsync(ids.Length, TimeSpan.FromSeconds(3), ct);
        origin.ReleaseLoads();
        var released = Stopwatch.StartNew();
        var answers = await reads;
        var after = await redis.SnapshotAsync();
        // Every product was written after the release and before the snapshot: its TTL when written lay between what
        // Redis reports now and that plus this window.
        var windowMs = (long)released.Elapsed.TotalMilliseconds;
        var cached = New(before, after).Where(k => k.Value > TtlMs / 2).ToDictionary(k => k.Key, k => k.Value);
        var spreadMs = cached.Count == 0 ? 0 : cached.Values.Max() - cached.Values.Min();
        var neededMs = windowMs + (long)(0.25 * 0.2 * TtlMs);
        Checks.Record("spread of expiries of 30 products cached together (ms)", $">= {neededMs}", spreadMs, spreadMs >= neededMs);

        answers.ShouldAllBe(r => r.Status == 200, Describe(answers));
        cached.Count.ShouldBeGreaterThanOrEqualTo(ids.Length, $"30 products were cached, but only {cached.Count} keys with a TTL above half of CACHE_TTL_SECONDS appeared in Redis: {Ttls(New(before, after))}");
        cached.Where(k => k.Value > TtlMs).Select(k => k.Key).ShouldBeEmpty($"TTLs above CACHE_TTL_SECONDS ({TtlSeconds} s): {Ttls(cached)}");
        cached.Where(k => k.Value + windowMs < (long)(0.8 * TtlMs) - 50).Select(k => k.Key)
            .ShouldBeEmpty($"TTLs below 80 % of CACHE_TTL_SECONDS: {Ttls(cached)}");
        spreadMs.ShouldBeGreaterThanOrEqualTo(neededMs,
            $"30 products cached together expire within {spreadMs / 1000.0:0.#} s of each other (writing them took {windowMs / 1000.0:0.#} s): their TTLs are not jittered ({Ttls(cached)})");
    }

    [Fact(DisplayName = "GET /stats: hits and misses over 8 reads agree with the loads the origin counted, and hitRate = hits / (hits + misses)")]
    [Trait("criterion", "stats")]
    public async Task Stats_agree_with_the_origin()
    {
        var origin = await OriginAsync();
        var (a, b, gone) = (NewId(), NewId(), NewId());
        origin.Remove(gone);

        var start = await StatsAsync();
        foreach (var id in new[] { a, a, a, a, b, b, gone, a }) await GetAsync(id);
        var end = await StatsAsync();
        // One read at a time: a read is a miss exactly when it made the origin load.
        var misses = origin.Loads.Count;
        var hits = 8 - misses;
        var (reportedHits, reportedMisses) = (end.Hits - start.Hits, end.Misses - start.Misses);
        Checks.Record("hits / misses reported over 8 reads (the origin counted the misses)", $"{hits} / {misses}", $"{reportedHits?.ToString() ?? "?"} / {reportedMisses?.ToString() ?? "?"}");

        start.Hits.ShouldNotBeNull($"GET /stats must answer {{ \"hits\", \"misses\", \"hitRate\" }}: {start.Body}");
        reportedHits.ShouldBe(hits, $"8 reads of which the origin loaded {misses}: {hits} hits expected, /stats went from {start.Body} to {end.Body}");
        reportedMisses.ShouldBe(misses, $"8 reads of which the origin loaded {misses}: {misses} misses expected, /stats went from {start.Body} to {end.Body}");
        end.HitRate.ShouldNotBeNull(end.Body);
        var rate = end.Hits + end.Misses == 0 ? 0.0 : (double)end.Hits!.Value / (end.Hits!.Value + end.Misses!.Value);
        end.HitRate!.Value.ShouldBe(rate, 0.001, $"hitRate must be hits / (hits + misses): {end.Body}");
    }
}
