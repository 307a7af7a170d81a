using StackExchange.Redis;

/// <summary>Products as Redis hashes { status, body }, written together with their jittered expiry in one transaction; and the load locks.</summary>
public sealed class HashStore(IDatabase db, TimeSpan ttl)
{
    static RedisKey Key(string id) => "cache:products:" + id;

    public async Task<Entry?> FindAsync(string id)
    {
        var fields = await db.HashGetAsync(Key(id), ["status", "body"]);
        return fields[0].IsNull || fields[1].IsNull ? null : new Entry((int)fields[0], (string)fields[1]!);
    }

    /// <summary>The entry and its key's remaining TTL, read in one transaction (null TTL: the key never expires).</summary>
    public async Task<(Entry? Entry, TimeSpan? Left)> FindWithTtlAsync(string id)
    {
        var multi = db.CreateTransaction();
        var fields = multi.HashGetAsync(Key(id), ["status", "body"]);
        var left = multi.KeyTimeToLiveAsync(Key(id));
        await multi.ExecuteAsync();
        var (f, l) = (await fields, await left);
        return (f[0].IsNull || f[1].IsNull ? null : new Entry((int)f[0], (string)f[1]!), l);
    }

    /// <summary>
    /// The right to refresh a product, across replicas, for 5 s: claimed with SET NX and never released, so a refresh
    /// that fails is not tried again for 5 s (a failing origin gets one attempt per product every 5 s at most).
    /// </summary>
    public Task<bool> ClaimRefreshAsync(string id) =>
        db.StringSetAsync("cache:refreshing:" + id, Guid.NewGuid().ToString("N"), TimeSpan.FromSeconds(5), When.NotExists);

    public async Task PutAsync(string id, Entry entry)
    {
        var multi = db.CreateTransaction();
        _ = multi.KeyDeleteAsync(Key(id));
        _ = multi.HashSetAsync(Key(id), [new HashEntry("status", entry.Status), new HashEntry("body", entry.Body)]);
        _ = multi.KeyExpireAsync(Key(id), ttl * (Random.Shared.Next(80_000, 100_001) / 100_000.0));
        await multi.ExecuteAsync();
    }

    public Task ForgetAsync(string id) => db.KeyDeleteAsync(Key(id));

    /// <summary>The product's load lock across replicas (StackExchange.Redis' own lock: SET NX with an expiry, released only by its owner).</summary>
    public Task<bool> TakeLoadLockAsync(string id, string owner) => db.LockTakeAsync("cache:loading:" + id, owner, TimeSpan.FromSeconds(5));

    public Task ReleaseLoadLockAsync(string id, string owner) => db.LockReleaseAsync("cache:loading:" + id, owner);
}
