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

    // Only this instance's refresh map in ProductCache keeps refreshes to one: every replica refreshes a stale product itself.
    public Task TryOnceAsync(string id, Func<Task> work) => work();

    // Only this instance's single flight in ProductCache coalesces: every replica loads a cold product itself.
    public async Task<OriginAnswer> RunAsync(string id, Func<Task<OriginAnswer?>> cached, Func<Task<OriginAnswer>> load) =>
        await cached() ?? await load();
}
