using StackExchange.Redis;

/// <summary>Whether a request was admitted, the whole tokens left, and how long until the next token.</summary>
sealed record Decision(bool Allowed, long Remaining, TimeSpan RetryAfter);

/// <summary>A counter per tenant and window: INCR, and EXPIRE on the first request of the window.</summary>
sealed class RedisTokenBucket(IConnectionMultiplexer redis, BucketLimit limit, ILogger<RedisTokenBucket> logger)
{
    readonly TimeSpan window = TimeSpan.FromSeconds(limit.Capacity / limit.RefillPerSecond);

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
        var count = await db.StringIncrementAsync(key);
        if (count == 1) await db.KeyExpireAsync(key, window);
        if (count <= limit.Capacity) return new Decision(true, limit.Capacity - count, TimeSpan.Zero);
        var left = await db.KeyTimeToLiveAsync(key) ?? window;
        return new Decision(false, 0, left);
    }
}
