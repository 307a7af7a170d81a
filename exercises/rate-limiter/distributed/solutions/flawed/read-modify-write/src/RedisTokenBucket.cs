using System.Globalization;
using StackExchange.Redis;

/// <summary>Whether a request was admitted, the whole tokens left, and how long until the next token.</summary>
sealed record Decision(bool Allowed, long Remaining, TimeSpan RetryAfter);

/// <summary>The bucket in a Redis hash, read, decided here and written back.</summary>
sealed class RedisTokenBucket(IConnectionMultiplexer redis, BucketLimit limit, ILogger<RedisTokenBucket> logger)
{
    public async Task<Decision?> TryAcquireAsync(string tenant, CancellationToken cancellationToken)
    {
        try
        {
            // All of its commands within the reference's half-second budget: without Redis it fails open as quickly as
            // the reference (the client's own time-outs are checked once a second and took 0.5-1.5 s).
            return await DecideAsync(tenant).WaitAsync(Budget, cancellationToken);
        }
        // Whatever the store throws means it could not answer (a time-out, a refused connection, a command the client
        // cancelled or its pipe failing while it reconnects): fail open. Only the caller's own cancellation propagates.
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Rate limiter store unreachable, admitting the request (fail open): {Message}", ex.Message);
            return null;
        }
    }

    static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(500);

    async Task<Decision> DecideAsync(string tenant)
    {
        var db = redis.GetDatabase();
        var key = (RedisKey)("ratelimit:" + tenant);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var state = await db.HashGetAsync(key, ["tokens", "at"]);
        var tokens = state[0].HasValue ? double.Parse((string)state[0]!, CultureInfo.InvariantCulture) : limit.Capacity;
        var at = state[1].HasValue ? (long)state[1] : now;
        tokens = Math.Min(limit.Capacity, tokens + Math.Max(0, now - at) * limit.RefillPerSecond / 1000.0);
        var allowed = tokens >= 1;
        if (allowed) tokens -= 1;
        await db.HashSetAsync(key, [new HashEntry("tokens", tokens.ToString("R", CultureInfo.InvariantCulture)), new HashEntry("at", now)]);
        await db.KeyExpireAsync(key, TimeSpan.FromSeconds(limit.Capacity / limit.RefillPerSecond + 1));
        return new Decision(allowed, (long)Math.Floor(tokens), allowed ? TimeSpan.Zero : TimeSpan.FromSeconds((1 - tokens) / limit.RefillPerSecond));
    }
}
