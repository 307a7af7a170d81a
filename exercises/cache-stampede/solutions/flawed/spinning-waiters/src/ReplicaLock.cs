using StackExchange.Redis;

/// <summary>
/// One origin load per product across every replica: a lock in Redis (SET NX with an expiry, so a replica that dies
/// while loading blocks the product for seconds, not for ever). The holder loads; the others poll Redis without pause
/// for the value it stores, and take the lock themselves if it goes away without one.
/// </summary>
sealed class ReplicaLock(IConnectionMultiplexer redis)
{
    /// <summary>Longer than a normal load, short enough that a crash costs a few seconds; the statement says at most 5 s.</summary>
    static readonly TimeSpan Expiry = TimeSpan.FromSeconds(5);
    static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(7);

    // Deletes the lock only if it is still ours: an expired lock may belong to another replica by now.
    const string ReleaseScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

    IDatabase Db => redis.GetDatabase();

    /// <summary>Runs <paramref name="work"/> under the product's lock if the lock is free now; otherwise does nothing (someone else is at it).</summary>
    public async Task TryOnceAsync(string id, Func<Task> work)
    {
        RedisKey key = "lock:product:" + id;
        var token = Guid.NewGuid().ToString("N");
        if (!await Db.StringSetAsync(key, token, Expiry, When.NotExists)) return;
        try
        {
            await work();
        }
        finally
        {
            try
            {
                await Db.ScriptEvaluateAsync(ReleaseScript, [key], [token]);
            }
            catch (RedisException)
            {
                // Redis went away: the lock expires with it.
            }
        }
    }

    public async Task<OriginAnswer> RunAsync(string id, Func<Task<OriginAnswer?>> cached, Func<Task<OriginAnswer>> load)
    {
        RedisKey key = "lock:product:" + id;
        var token = Guid.NewGuid().ToString("N");
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if (await Db.StringSetAsync(key, token, Expiry, When.NotExists))
            {
                try
                {
                    // The previous holder may have stored it between our look and our lock.
                    return await cached() ?? await load();
                }
                finally
                {
                    try
                    {
                        await Db.ScriptEvaluateAsync(ReleaseScript, [key], [token]);
                    }
                    catch (RedisException)
                    {
                        // Redis went away: the lock expires with it.
                    }
                }
            }
            // Look again at once: the product is there as soon as the holder stores it.
            if (await cached() is { } stored) return stored;
            if (waited.Elapsed > GiveUp)
                return new OriginAnswer(StatusCodes.Status504GatewayTimeout, "{\"error\":\"another replica is loading this product and did not finish in time\"}");
        }
    }
}
