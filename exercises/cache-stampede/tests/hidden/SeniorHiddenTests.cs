using System.Diagnostics;
using CodeLab.Judge;
using Shouldly;
using Xunit;
using static CacheStampede.Tests.Shop;

namespace CacheStampede.Tests;

[Trait("level", "senior")]
public sealed class SeniorHiddenTests
{
    static readonly TimeSpan ReachOrigin = TimeSpan.FromSeconds(10);

    /// <summary>The statement: the lock expires within 10 s; 8 s more are allowed for a busy machine.</summary>
    static readonly TimeSpan LockAtMost = TimeSpan.FromSeconds(10), BusyMachine = TimeSpan.FromSeconds(8);

    [Fact(DisplayName = "90 simultaneous reads of a cold product over the three replicas: one origin load in all (held up to 2 s, until a second load would arrive)")]
    [Trait("criterion", "replicas")]
    public async Task Burst_over_replicas_loads_once()
    {
        var origin = await OriginAsync();
        var ct = TestContext.Current.CancellationToken;
        var id = NewId();

        origin.HoldLoads();
        var burst = BurstAsync(90, _ => id, everyReplica: true);
        var loaded = await origin.WaitForLoadsAsync(1, ReachOrigin, id, ct);
        await origin.WaitForLoadsAsync(2, TimeSpan.FromSeconds(2), id, ct);
        origin.ReleaseLoads();
        var reads = await burst;
        var after = await Task.WhenAll(Service.Replicas.Select(r => GetAsync(id, r)));
        Checks.Record("origin loads for one cold product after 90 simultaneous reads over 3 replicas", 1, origin.LoadsOf(id));

        loaded.ShouldBeTrue($"no read reached the origin within {ReachOrigin.TotalSeconds:0} s");
        origin.LoadsOf(id).ShouldBe(1, $"90 simultaneous reads over three replicas made {origin.LoadsOf(id)} origin loads ({Describe(reads)})");
        reads.ShouldAllBe(r => r.Is(origin.Current(id)), $"every read must answer the product: {Describe(reads)}");
        after.ShouldAllBe(r => r.Is(origin.Current(id)), "every replica must then serve the product from the cache");
        origin.LoadsOf(id).ShouldBe(1, "reads after the burst must be hits on every replica");
    }

    [Fact(DisplayName = "A replica killed while loading a product does not block it: another replica serves it within 10 s of the load (8 s allowed for a busy machine)")]
    [Trait("criterion", "lock-recovery")]
    public async Task Dead_holder_does_not_block_the_product()
    {
        var origin = await OriginAsync();
        var ct = TestContext.Current.CancellationToken;
        var id = NewId();

        origin.HoldLoads();
        var doomed = TryGetAsync(id, Service.Replicas[0]);
        var loaded = await origin.WaitForLoadsAsync(1, ReachOrigin, id, ct);
        var started = Stopwatch.StartNew();
        await Control.RestartServiceAsync(1, ct);
        await doomed;
        origin.ReleaseLoads();

        var reads = new List<Read>();
        while (true)
        {
            reads.Add(await TryGetAsync(id, Service.Replicas[1]));
            if (reads[^1].Status == 200 || started.Elapsed > LockAtMost + BusyMachine) break;
            await Task.Delay(250, ct);
        }
        var took = started.Elapsed;
        Checks.Record("seconds from a dead replica's load until another replica served the product", $"<= {(LockAtMost + BusyMachine).TotalSeconds:0}",
            reads[^1].Status == 200 ? Math.Round(took.TotalSeconds, 1) : "never", reads[^1].Status == 200);

        loaded.ShouldBeTrue($"the read on the first replica never reached the origin within {ReachOrigin.TotalSeconds:0} s");
        reads[^1].Is(origin.Current(id)).ShouldBeTrue(
            $"{took.TotalSeconds:0.#} s after the loading replica died the product is still not served ({Describe(reads)}; last: {reads[^1]})");
    }
}
