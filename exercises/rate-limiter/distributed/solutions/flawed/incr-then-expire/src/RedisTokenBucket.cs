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
            var db = redis.GetDatabase();
            var key = (RedisKey)("ratelimit:" + tenant);
            var count = await db.StringIncrementAsync(key);
            if (count == 1) await db.KeyExpireAsync(key, window);
            if (count <= limit.Capacity) return new Decision(true, limit.Capacity - count, TimeSpan.Zero);
            var left = await db.KeyTimeToLiveAsync(key) ?? window;
            return new Decision(false, 0, left);
        }
        // Whatever the store throws means it could not answer (a time-out, a refused connection, a command the client
        // cancelled or its pipe failing while it reconnects): fail open. Only the caller's own cancellation propagates.
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Rate limiter store unreachable, admitting the request (fail open): {Message}", ex.Message);
            return null;
        }
    }
}
