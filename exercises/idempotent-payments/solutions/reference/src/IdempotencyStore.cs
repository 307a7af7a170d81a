using System.Text.Json;
using StackExchange.Redis;

/// <summary>The answer stored for a key, with the fingerprint of the request it answered.</summary>
public sealed record StoredAnswer(string Fingerprint, int Status, string Body);

/// <summary>
/// Keys in Redis. "payment:{key}" holds the answer for 24 h. "payment:{key}:claim" is held while one request
/// charges; it expires after 15 s (the provider call times out after 10 s), so an instance that dies mid-payment cannot block the key forever.
/// </summary>
public sealed class IdempotencyStore(IConnectionMultiplexer redis)
{
    static readonly TimeSpan AnswerTtl = TimeSpan.FromHours(24);
    static readonly TimeSpan ClaimTtl = TimeSpan.FromSeconds(15);
    // Deletes the claim only if it is still ours (it may have expired and been taken by someone else).
    const string ReleaseScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

    IDatabase Db => redis.GetDatabase();

    public async Task<StoredAnswer?> FindAsync(string key)
    {
        var value = await Db.StringGetAsync(AnswerKey(key));
        return value.IsNull ? null : JsonSerializer.Deserialize<StoredAnswer>(value.ToString());
    }

    /// <summary>SET NX with an expiry: one atomic step, so exactly one request wins. Returns the claim's token, or null.</summary>
    public async Task<string?> TryClaimAsync(string key, string fingerprint)
    {
        var token = fingerprint + "#" + Guid.NewGuid().ToString("N");
        return await Db.StringSetAsync(ClaimKey(key), token, ClaimTtl, When.NotExists) ? token : null;
    }

    /// <summary>The fingerprint of the request that holds the claim, if any.</summary>
    public async Task<string?> ClaimFingerprintAsync(string key)
    {
        var token = await Db.StringGetAsync(ClaimKey(key));
        return token.IsNull ? null : token.ToString().Split('#')[0];
    }

    public Task SaveAsync(string key, StoredAnswer answer) =>
        Db.StringSetAsync(AnswerKey(key), JsonSerializer.Serialize(answer), AnswerTtl);

    public Task ReleaseAsync(string key, string token) =>
        Db.ScriptEvaluateAsync(ReleaseScript, [ClaimKey(key)], [token]);

    static RedisKey AnswerKey(string key) => "payment:" + key;
    static RedisKey ClaimKey(string key) => "payment:" + key + ":claim";
}
