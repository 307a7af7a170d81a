using StackExchange.Redis;

/// <summary>
/// One origin load per product across every replica: a lock in Redis (SET NX with an expiry, so a replica that dies
/// while loading blocks the product for seconds, not for ever). The holder loads; the others poll Redis at a modest
/// pace for the value it stores, and take the lock themselves if it goes away without one.
/// </summary>
sealed class ReplicaLock(IConnectionMultiplexer redis)
{
    /// <summary>Longer than an origin call (10 s time-out) would be safer for the origin, shorter keeps a crash cheap; the statement says at most 10 s.</summary>
    static readonly TimeSpan Expiry = TimeSpan.FromSeconds(10);
    static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(25);
    static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(12);

    // Deletes the lock only if it is still ours: an expired lock may belong to another replica by now.
    const string ReleaseScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

    IDatabase Db => redis.GetDatabase();

    /// <summary>Runs <paramref name="work"/> under the product's lock if the lock is free now; otherwise does nothing (someone else is at it).</summary>
    public async Task TryOnceAsync(string id, Func<Task> work)
    {
        RedisKey key = "lock:product:" + id;
        var token = Guid.NewGuid().ToString("N");
        if (!await Db.StringSetAsync(key, token, null, When.NotExists)) return; // no expiry: held until released
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
            if (await Db.StringSetAsync(key, token, null, When.NotExists)) // no expiry: held until released
            {
                try
                {
                    // The previous holder may have stored it between our look and our lock.
                    return await cached() ?? await load();
                }
                finally
                {
                    await Db.ScriptEvaluateAsync(ReleaseScript, [key], [token]);
                }
            }
            await Task.Delay(Poll);
            if (await cached() is { } stored) return stored;
            if (waited.Elapsed > GiveUp)
                return new OriginAnswer(StatusCodes.Status504GatewayTimeout, "{\"error\":\"another replica is loading this product and did not finish in time\"}");
        }
    }
}
