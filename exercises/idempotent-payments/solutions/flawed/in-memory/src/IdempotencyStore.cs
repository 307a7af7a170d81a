using System.Collections.Concurrent;
using StackExchange.Redis;

/// <summary>The answer stored for a key, with the fingerprint of the request it answered.</summary>
public sealed record StoredAnswer(string Fingerprint, int Status, string Body);

/// <summary>
/// Keys in this process's memory: atomic (TryAdd) and correct for one instance, but a second replica or a restart
/// knows nothing, and nothing ever expires.
/// </summary>
public sealed class IdempotencyStore(IConnectionMultiplexer redis)
{
    readonly ConcurrentDictionary<string, StoredAnswer> answers = new();
    readonly ConcurrentDictionary<string, string> claims = new();

    public IConnectionMultiplexer Redis => redis;

    public Task<StoredAnswer?> FindAsync(string key) => Task.FromResult(answers.TryGetValue(key, out var a) ? a : null);

    public Task<string?> TryClaimAsync(string key, string fingerprint)
    {
        var token = fingerprint + "#" + Guid.NewGuid().ToString("N");
        return Task.FromResult(claims.TryAdd(key, token) ? token : null);
    }

    public Task<string?> ClaimFingerprintAsync(string key) =>
        Task.FromResult(claims.TryGetValue(key, out var token) ? token.Split('#')[0] : null);

    public Task SaveAsync(string key, StoredAnswer answer)
    {
        answers[key] = answer;
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(string key, string token)
    {
        claims.TryRemove(new KeyValuePair<string, string>(key, token));
        return Task.CompletedTask;
    }
}
