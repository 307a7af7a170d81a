using System.Diagnostics;
using CodeLab.Judge;
using Shouldly;
using Xunit;
using static CacheStampede.Tests.Shop;

namespace CacheStampede.Tests;

[Trait("level", "junior")]
public sealed class JuniorHiddenTests
{
    /// <summary>How long the judge waits for the origin to see a request the service was sent; generous for a busy machine.</summary>
    static readonly TimeSpan ReachOrigin = TimeSpan.FromSeconds(10);

    [Fact(DisplayName = "A cold read loads the product once and answers it with X-Cache: miss; three more reads are hits and load nothing (origin's count)")]
    [Trait("criterion", "caching")]
    public async Task Repeated_reads_are_hits()
    {
        var origin = await OriginAsync();
        var id = NewId();

        var reads = new List<Read>();
        for (var i = 0; i < 4; i++) reads.Add(await GetAsync(id));
        Checks.Record("origin loads for one product after 4 reads, one at a time", 1, origin.LoadsOf(id));

        reads[0].Is(origin.Current(id)).ShouldBeTrue($"the first read must answer the origin's product: {reads[0]}");
        string.Equals(reads[0].XCache, "miss", StringComparison.OrdinalIgnoreCase).ShouldBeTrue($"the first read of a product must say X-Cache: miss: {reads[0]}");
        reads.Skip(1).ShouldAllBe(r => r.Is(origin.Current(id)), $"repeated reads must answer the cached product: {string.Join("; ", reads)}");
        reads.Skip(1).ShouldAllBe(r => string.Equals(r.XCache, "hit", StringComparison.OrdinalIgnoreCase), $"a repeated read must say X-Cache: hit: {string.Join("; ", reads)}");
        origin.LoadsOf(id).ShouldBe(1, $"4 reads of one product made {origin.LoadsOf(id)} origin loads");
    }

    [Fact(DisplayName = "Two products are cached apart: each read answers its own product, one origin load each")]
    [Trait("criterion", "caching")]
    public async Task Products_are_cached_apart()
    {
        var origin = await OriginAsync();
        var (a, b) = (NewId(), NewId());

        var reads = new[] { await GetAsync(a), await GetAsync(b), await GetAsync(a), await GetAsync(b) };

        reads[0].Is(origin.Current(a)).ShouldBeTrue(reads[0].ToString());
        reads[1].Is(origin.Current(b)).ShouldBeTrue(reads[1].ToString());
        reads[2].Is(origin.Current(a)).ShouldBeTrue($"the second read of the first product answered: {reads[2]}");
        reads[3].Is(origin.Current(b)).ShouldBeTrue($"the second read of the second product answered: {reads[3]}");
        origin.LoadsOf(a).ShouldBe(1);
        origin.LoadsOf(b).ShouldBe(1);
    }

    [Fact(DisplayName = "A cached product lives in Redis: every key written for it expires, within CACHE_TTL_SECONDS, and the product is kept at least half of it")]
    [Trait("criterion", "caching")]
    public async Task Entries_expire_within_the_ttl()
    {
        await OriginAsync();
        await using var redis = await RedisProbe.ConnectAsync();
        // A first read of another product, so that whatever the service writes once (not per product) is already there.
        (await GetAsync(NewId())).Status.ShouldBe(200);
        var before = await redis.SnapshotAsync();
        var took = Stopwatch.StartNew();

        (await GetAsync(NewId())).Status.ShouldBe(200);
        var written = New(before, await redis.SnapshotAsync());
        var elapsedMs = (long)took.Elapsed.TotalMilliseconds;

        written.ShouldNotBeEmpty("nothing was written to Redis for the product: the cache must be Redis");
        written.Where(k => k.Value < 0).Select(k => k.Key).ShouldBeEmpty($"keys without an expiry serve the product for ever: {Ttls(written)}");
        written.Where(k => k.Value > TtlMs).Select(k => k.Key).ShouldBeEmpty($"keys that outlive CACHE_TTL_SECONDS ({TtlSeconds} s): {Ttls(written)}");
        // Other keys (a lock, say) may be short-lived; the one holding the product lives at least half the TTL.
        written.Values.ShouldContain(ttl => ttl + elapsedMs >= TtlMs / 2, $"no key written for the product lives at least half of CACHE_TTL_SECONDS ({TtlSeconds} s): {Ttls(written)}");
    }

    [Fact(DisplayName = "An entry deleted from Redis is loaded again and shows what the origin holds now (no copy outside Redis)")]
    [Trait("criterion", "caching")]
    public async Task Deleted_entry_is_loaded_again()
    {
        var origin = await OriginAsync();
        await using var redis = await RedisProbe.ConnectAsync();
        var id = NewId();
        var before = await redis.SnapshotAsync();

        var first = await GetAsync(id);
        var written = New(before, await redis.SnapshotAsync());
        var changed = origin.Set(id, "Changed behind the cache", 777);
        foreach (var key in written.Keys) await redis.CommandAsync("DEL", key);
        var again = await GetAsync(id);

        first.Status.ShouldBe(200, first.ToString());
        written.ShouldNotBeEmpty("nothing was written to Redis for the product: the cache must be Redis");
        again.Is(changed).ShouldBeTrue($"after its keys were deleted from Redis the product must be loaded again (version {changed.Version}): {again}");
        origin.LoadsOf(id).ShouldBe(2, "the read after the keys were deleted must load the product from the origin");
    }

    [Fact(DisplayName = "A write through PUT reaches the origin, is answered with the origin's product, and the next read shows it")]
    [Trait("criterion", "writes")]
    public async Task Write_is_visible_at_the_next_read()
    {
        var origin = await OriginAsync();
        var id = NewId();

        var cached = await GetAsync(id);
        var write = await PutAsync(id, "Written through the service", 4321);
        var after = await GetAsync(id);
        Checks.Record("version served by the read after a write (the write made version 2)", 2, after.Version ?? -1);

        cached.Status.ShouldBe(200, cached.ToString());
        origin.Writes.Count.ShouldBe(1, "the write must reach the origin once");
        write.Is(origin.Current(id)).ShouldBeTrue($"the write must be answered with the origin's answer: {write}");
        after.Is(origin.Current(id)).ShouldBeTrue($"the read after a write served a stale product (the origin holds version {origin.Current(id)!.Version}): {after}");
    }

    [Fact(DisplayName = "A read that comes in while a write is being stored at the origin does not bring the old product back after the write")]
    [Trait("criterion", "writes")]
    public async Task Read_during_a_write_is_not_stale_afterwards()
    {
        var origin = await OriginAsync();
        var ct = TestContext.Current.CancellationToken;
        var id = NewId();
        (await GetAsync(id)).Status.ShouldBe(200);

        origin.HoldWrites();
        var write = PutAsync(id, "Written while reading", 2468);
        var arrived = await origin.WaitForWritesAsync(1, ReachOrigin, ct);
        var during = await GetAsync(id);
        origin.ReleaseWrites();
        var written = await write;
        var after = await GetAsync(id);
        Checks.Record("version served after a write that a read overlapped (the write made version 2)", 2, after.Version ?? -1);

        arrived.ShouldBeTrue($"the write never reached the origin within {ReachOrigin.TotalSeconds:0} s");
        during.Status.ShouldBe(200, during.ToString());
        written.Status.ShouldBe(200, written.ToString());
        after.Is(origin.Current(id)).ShouldBeTrue(
            $"after the write was answered, the read served version {after.Version} where the origin holds {origin.Current(id)!.Version}: the read during the write put the old product back into the cache ({after})");
    }

    [Fact(DisplayName = "A product the origin does not know is answered 404, also when read again")]
    [Trait("criterion", "not-found")]
    public async Task Unknown_product_is_404()
    {
        var origin = await OriginAsync();
        var id = NewId();
        origin.Remove(id);

        var first = await GetAsync(id);
        var second = await GetAsync(id);

        first.Status.ShouldBe(404, first.ToString());
        second.Status.ShouldBe(404, second.ToString());
    }

    /// <summary>The statement: a 404 may be cached for at most 5 seconds.</summary>
    static readonly TimeSpan NotFoundAtMost = TimeSpan.FromSeconds(5);

    [Fact(DisplayName = "A product created at the origin after a 404 is served within 5 s (10 s allowed for a busy machine)")]
    [Trait("criterion", "not-found")]
    public async Task Not_found_is_not_cached_for_long()
    {
        var origin = await OriginAsync();
        var ct = TestContext.Current.CancellationToken;
        var id = NewId();
        origin.Remove(id);
        await using var redis = await RedisProbe.ConnectAsync(cancellationToken: ct);
        var before = await redis.SnapshotAsync();

        var missing = await GetAsync(id);
        var shortLived = RedisProbe.ShortLivedSince(before, await redis.SnapshotAsync(), NotFoundAtMost);
        var created = origin.Set(id, "Created after a 404", 1999);
        var since = Stopwatch.StartNew();
        // A cached 404's 5 s pass at once. A 404 kept longer, without expiry or anywhere else gets the real wait, up
        // to the same limit.
        await redis.ExpireNowAsync(shortLived);
        var limit = NotFoundAtMost + TimeSpan.FromSeconds(5);
        Read read;
        while (true)
        {
            read = await GetAsync(id);
            if (read.Status == 200 || since.Elapsed > limit) break;
            await Task.Delay(250, ct);
        }
        Checks.Record("seconds until a product created after a 404 was served", $"<= {limit.TotalSeconds:0}",
            read.Status == 200 ? Math.Round(since.Elapsed.TotalSeconds, 1) : "never", read.Status == 200);

        missing.Status.ShouldBe(404, missing.ToString());
        read.Is(created).ShouldBeTrue($"{since.Elapsed.TotalSeconds:0.#} s after the product was created the service still answers: {read}");
    }
}
