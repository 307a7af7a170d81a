using System.Collections.Concurrent;
using StackExchange.Redis;

/// <summary>
/// Cache-aside in Redis. A miss joins the one load of that product in flight on this instance (single flight), and
/// that load takes the product's lock across replicas (ReplicaLock), so simultaneous reads of a cold product cost the
/// origin one load whichever replicas they reach; loads of different products run side by side.
/// Products are cached with a jittered TTL, 404s for a few seconds, failures not at all. In the last
/// <c>stale</c> of its TTL (as Redis reports it) a product is stale: reads answer it at once and one refresh in the
/// background, under the same lock across replicas, loads it again; a refresh that fails stores nothing, so the
/// product is served until its key expires and no longer. While Redis cannot be reached, reads go to the origin, at
/// most <see cref="OriginCapWithoutRedis"/> at a time; the rest answer 503 at once.
/// </summary>
sealed class ProductCache(IConnectionMultiplexer redis, ReplicaLock replicaLock, OriginClient origin, CacheStats stats, TimeSpan ttl, TimeSpan stale)
{
    static readonly TimeSpan NotFoundTtl = TimeSpan.FromSeconds(3);
    const int OriginCapWithoutRedis = 4;
    readonly SemaphoreSlim originCap = new(OriginCapWithoutRedis, OriginCapWithoutRedis);
    readonly ConcurrentDictionary<string, Lazy<Task<OriginAnswer>>> loads = new(StringComparer.Ordinal);
    /// <summary>Products this instance is refreshing now: one refresh per product per instance, whatever the reads.</summary>
    readonly ConcurrentDictionary<string, byte> refreshing = new(StringComparer.Ordinal);

    IDatabase Db => redis.GetDatabase();

    static RedisKey Key(string id) => "product:" + id;

    public async Task<(OriginAnswer Answer, bool Hit)> GetAsync(string id)
    {
        var (cached, left) = await ReadOrMissAsync(id);
        if (cached is not null)
        {
            stats.Hit();
            if (cached.Status == StatusCodes.Status200OK && left <= stale) Refresh(id);
            return (cached, true);
        }
        stats.Miss();
        var load = loads.GetOrAdd(id, key => new Lazy<Task<OriginAnswer>>(() => LoadAsync(key)));
        try
        {
            return (await load.Value, false);
        }
        finally
        {
            // Only this load's entry: a later load of the same product has an entry of its own.
            loads.TryRemove(new KeyValuePair<string, Lazy<Task<OriginAnswer>>>(id, load));
        }
    }

    public async Task InvalidateAsync(string id)
    {
        try
        {
            await Db.KeyDeleteAsync(Key(id));
        }
        catch (RedisException)
        {
            // Nothing to invalidate while Redis is down (it comes back empty, or the entry expires within its TTL).
        }
    }

    async Task<OriginAnswer> LoadAsync(string id)
    {
        try
        {
            // A read that missed just before the previous load stored the product joins no load: look again first.
            if (await ReadAsync(id) is { } late) return late;
            return await replicaLock.RunAsync(id, () => ReadAsync(id), () => LoadFromOriginAsync(id));
        }
        catch (RedisException)
        {
            return await WithoutRedisAsync(id);
        }
    }

    /// <summary>Redis is down: the origin answers, but a cache outage must not become an origin outage.</summary>
    async Task<OriginAnswer> WithoutRedisAsync(string id)
    {
        if (!await originCap.WaitAsync(0))
            return new OriginAnswer(StatusCodes.Status503ServiceUnavailable, "{\"error\":\"the cache is down and the origin is busy; retry shortly\"}");
        try
        {
            return await origin.GetAsync(id);
        }
        finally
        {
            originCap.Release();
        }
    }

    async Task<OriginAnswer> LoadFromOriginAsync(string id)
    {
        var answer = await origin.GetAsync(id);
        await StoreAsync(id, answer);
        return answer;
    }

    /// <summary>A product with a fresh jittered TTL, a 404 briefly, a failure not at all.</summary>
    async Task StoreAsync(string id, OriginAnswer answer)
    {
        try
        {
            if (answer.Status == StatusCodes.Status200OK) await Db.StringSetAsync(Key(id), Encode(answer), Jittered());
            else if (answer.Status == StatusCodes.Status404NotFound) await Db.StringSetAsync(Key(id), Encode(answer), NotFoundTtl);
        }
        catch (RedisException)
        {
            // Redis went away after the load: the answer is still good, it is just not cached.
        }
    }

    /// <summary>
    /// Starts one background refresh of a stale product on this instance (none if one runs already). The reads that
    /// found it stale have already been answered with the cached product; nobody waits for the origin.
    /// </summary>
    void Refresh(string id)
    {
        if (!refreshing.TryAdd(id, 0)) return;
        _ = Task.Run(async () =>
        {
            try
            {
                await RefreshAsync(id);
            }
            catch (Exception ex) when (ex is RedisException or OperationCanceledException)
            {
                // Redis went away: the entry expires by itself, and the next read after that loads it.
            }
            finally
            {
                refreshing.TryRemove(id, out _);
            }
        });
    }

    /// <summary>
    /// One refresh across replicas: whoever takes the product's lock refreshes; the others need not wait, their
    /// readers were answered from the cache. A failed refresh stores nothing: the cached product is served until its
    /// key expires (at most its TTL after it was loaded), then reads answer 502 until the origin is back.
    /// </summary>
    async Task RefreshAsync(string id)
    {
        await replicaLock.TryOnceAsync(id, async () =>
        {
            // Another replica may have refreshed it between our read and our lock.
            var (current, left) = await ReadWithTtlAsync(id);
            if (current is null || current.Status != StatusCodes.Status200OK || left > stale) return;
            await StoreAsync(id, await origin.GetAsync(id));
        });
    }

    /// <summary>80 % to 100 % of the TTL, drawn anew for every write, so products cached together expire apart.</summary>
    TimeSpan Jittered() => ttl * (0.8 + 0.2 * Random.Shared.NextDouble());

    /// <summary>
    /// The cached answer and how long its key has left; null when it is not cached or Redis cannot be reached (then
    /// the load decides what to do).
    /// </summary>
    async Task<(OriginAnswer? Answer, TimeSpan Left)> ReadOrMissAsync(string id)
    {
        try
        {
            return await ReadWithTtlAsync(id);
        }
        catch (RedisException)
        {
            return (null, TimeSpan.Zero);
        }
    }

    /// <summary>
    /// The product and its key's remaining TTL as Redis reports it (PTTL, asked only for a cached product); a key
    /// without expiry, or one gone between the two commands, counts as fresh.
    /// </summary>
    async Task<(OriginAnswer? Answer, TimeSpan Left)> ReadWithTtlAsync(string id)
    {
        var answer = Decode(await Db.StringGetAsync(Key(id)));
        if (answer?.Status != StatusCodes.Status200OK) return (answer, TimeSpan.MaxValue);
        return (answer, await Db.KeyTimeToLiveAsync(Key(id)) ?? TimeSpan.MaxValue);
    }

    async Task<OriginAnswer?> ReadAsync(string id) => Decode(await Db.StringGetAsync(Key(id)));

    static OriginAnswer? Decode(RedisValue value)
    {
        if (value.IsNullOrEmpty) return null;
        var text = (string)value!;
        var newline = text.IndexOf('\n');
        return new OriginAnswer(int.Parse(text[..newline], System.Globalization.CultureInfo.InvariantCulture), text[(newline + 1)..]);
    }

    static string Encode(OriginAnswer answer) => $"{answer.Status}\n{answer.Body}";
}
