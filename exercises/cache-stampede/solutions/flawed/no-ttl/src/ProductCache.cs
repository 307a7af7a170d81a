using System.Collections.Concurrent;
using StackExchange.Redis;

/// <summary>
/// Cache-aside in Redis. A miss joins the one load of that product in flight on this instance (single flight), and
/// that load takes the product's lock across replicas (ReplicaLock), so simultaneous reads of a cold product cost the
/// origin one load whichever replicas they reach; loads of different products run side by side.
/// Products are cached with a jittered TTL, 404s for a few seconds, failures not at all. While Redis cannot be
/// reached, reads go to the origin, at most <see cref="OriginCapWithoutRedis"/> at a time; the rest answer 503 at once.
/// </summary>
sealed class ProductCache(IConnectionMultiplexer redis, ReplicaLock replicaLock, OriginClient origin, CacheStats stats, TimeSpan ttl)
{
    static readonly TimeSpan NotFoundTtl = TimeSpan.FromSeconds(3);
    const int OriginCapWithoutRedis = 4;
    readonly SemaphoreSlim originCap = new(OriginCapWithoutRedis, OriginCapWithoutRedis);
    readonly ConcurrentDictionary<string, Lazy<Task<OriginAnswer>>> loads = new(StringComparer.Ordinal);

    IDatabase Db => redis.GetDatabase();

    static RedisKey Key(string id) => "product:" + id;

    public async Task<(OriginAnswer Answer, bool Hit)> GetAsync(string id)
    {
        if (await ReadOrMissAsync(id) is { } cached)
        {
            stats.Hit();
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
        try
        {
            if (answer.Status == StatusCodes.Status200OK) await Db.StringSetAsync(Key(id), Encode(answer)); // no expiry: cached for ever
            else if (answer.Status == StatusCodes.Status404NotFound) await Db.StringSetAsync(Key(id), Encode(answer), NotFoundTtl);
        }
        catch (RedisException)
        {
            // Redis went away after the load: the answer is still good, it is just not cached.
        }
        return answer;
    }

    /// <summary>80 % to 100 % of the TTL, drawn anew for every write, so products cached together expire apart.</summary>
    TimeSpan Jittered() => ttl * (0.8 + 0.2 * Random.Shared.NextDouble());

    /// <summary>The cached answer; null when it is not cached or Redis cannot be reached (then the load decides what to do).</summary>
    async Task<OriginAnswer?> ReadOrMissAsync(string id)
    {
        try
        {
            return await ReadAsync(id);
        }
        catch (RedisException)
        {
            return null;
        }
    }

    async Task<OriginAnswer?> ReadAsync(string id)
    {
        var value = await Db.StringGetAsync(Key(id));
        if (value.IsNullOrEmpty) return null;
        var text = (string)value!;
        var newline = text.IndexOf('\n');
        return new OriginAnswer(int.Parse(text[..newline], System.Globalization.CultureInfo.InvariantCulture), text[(newline + 1)..]);
    }

    static string Encode(OriginAnswer answer) => $"{answer.Status}\n{answer.Body}";
}
