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
