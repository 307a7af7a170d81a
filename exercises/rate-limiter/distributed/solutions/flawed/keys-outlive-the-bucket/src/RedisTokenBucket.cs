using System.Globalization;
using StackExchange.Redis;

/// <summary>Whether a request was admitted, the whole tokens left, and how long until the next token.</summary>
sealed record Decision(bool Allowed, long Remaining, TimeSpan RetryAfter);

/// <summary>
/// One token bucket per tenant in a Redis hash (tokens, last refill in ms). Refill, decision and write happen in one
/// Lua script, on Redis's clock, so any number of instances share the bucket exactly. The key expires after an hour
/// (long after the bucket is full again: idle tenants pile up in Redis).
/// </summary>
sealed class RedisTokenBucket(IConnectionMultiplexer redis, BucketLimit limit, ILogger<RedisTokenBucket> logger)
{
    const string Script = """
        local capacity = tonumber(ARGV[1])
        local perMs = tonumber(ARGV[2])
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
        local tokens = tonumber(state[1])
        local at = tonumber(state[2])
        if tokens == nil or at == nil then tokens = capacity; at = now end
        if now > at then tokens = math.min(capacity, tokens + (now - at) * perMs) end
        local allowed = 0
        local wait = 0
        if tokens >= 1 then
          tokens = tokens - 1
          allowed = 1
        else
          wait = math.ceil((1 - tokens) / perMs)
        end
        redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
        redis.call('PEXPIRE', KEYS[1], 3600000)
        return { allowed, math.floor(tokens), wait }
        """;

    static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(500);

    readonly string perMs = (limit.RefillPerSecond / 1000.0).ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The decision, or null when Redis could not be asked in time (the caller fails open).</summary>
    public async Task<Decision?> TryAcquireAsync(string tenant, CancellationToken cancellationToken)
    {
        try
        {
            var result = (RedisResult[])(await redis.GetDatabase()
                .ScriptEvaluateAsync(Script, [(RedisKey)("ratelimit:" + tenant)], [limit.Capacity, perMs])
                .WaitAsync(Budget, cancellationToken))!;
            return new Decision((long)result[0] == 1, (long)result[1], TimeSpan.FromMilliseconds((long)result[2]));
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
