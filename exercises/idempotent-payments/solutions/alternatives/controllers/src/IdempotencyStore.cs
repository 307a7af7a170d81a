using System.Text.Json;
using StackExchange.Redis;

/// <summary>The answer stored for a key, with the fingerprint of the request it answered.</summary>
public sealed record StoredAnswer(string Fingerprint, int Status, string Body);

/// <summary>
/// "payments:{key}" holds the answer for 24 h; "payments:{key}:claim" is held while one request charges and
/// expires after 30 s, so a replica that dies mid-payment cannot block the key for long.
/// </summary>
public sealed class IdempotencyStore(RedisConnection redis)
{
    static readonly TimeSpan AnswerTtl = TimeSpan.FromHours(24);
    static readonly TimeSpan ClaimTtl = TimeSpan.FromSeconds(15);
    // Deletes the claim only while it is still ours: it may have expired and been taken by another request.
    const string ReleaseScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

    public async Task<StoredAnswer?> FindAsync(string key)
    {
        var value = await (await redis.DatabaseAsync()).StringGetAsync(AnswerKey(key));
        return value.IsNull ? null : JsonSerializer.Deserialize<StoredAnswer>(value.ToString());
    }

    /// <summary>SET NX with an expiry, one atomic step: exactly one request wins. The claim's token, or null.</summary>
    public async Task<string?> TryClaimAsync(string key, string fingerprint)
    {
        var token = fingerprint + "#" + Guid.NewGuid().ToString("N");
        return await (await redis.DatabaseAsync()).StringSetAsync(ClaimKey(key), token, ClaimTtl, When.NotExists) ? token : null;
    }

    /// <summary>The fingerprint of the request that holds the claim, if any.</summary>
    public async Task<string?> ClaimFingerprintAsync(string key)
    {
        var token = await (await redis.DatabaseAsync()).StringGetAsync(ClaimKey(key));
        return token.IsNull ? null : token.ToString().Split('#')[0];
    }

    public async Task SaveAsync(string key, StoredAnswer answer) =>
        await (await redis.DatabaseAsync()).StringSetAsync(AnswerKey(key), JsonSerializer.Serialize(answer), AnswerTtl);

    public async Task ReleaseAsync(string key, string token) =>
        await (await redis.DatabaseAsync()).ScriptEvaluateAsync(ReleaseScript, [ClaimKey(key)], [token]);

    static RedisKey AnswerKey(string key) => "payments:" + key;
    static RedisKey ClaimKey(string key) => "payments:" + key + ":claim";
}
