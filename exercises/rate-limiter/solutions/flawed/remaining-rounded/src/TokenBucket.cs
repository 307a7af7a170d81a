namespace Throttling;

/// <summary>
/// One bucket. Tokens are refilled lazily from the elapsed time whenever the bucket is touched, so an idle
/// bucket costs nothing. Not thread-safe on its own: callers hold its lock.
/// </summary>
internal sealed class TokenBucket(BucketLimit limit, long now)
{
    double tokens = limit.Capacity;
    long refilledAt = now;

    public BucketLimit Limit => limit;

    /// <summary>The timestamp of the last request, for eviction.</summary>
    public long LastUsed { get; private set; } = now;

    /// <summary>Set once the bucket has been dropped from the limiter; a caller holding it must fetch a new one.</summary>
    public bool Evicted { get; set; }

    public RateLimitDecision TryTake(int permits, long now, TimeProvider time)
    {
        Refill(now, time);
        LastUsed = now;
        if (tokens >= permits)
        {
            tokens -= permits;
            return new RateLimitDecision(true, (long)Math.Round(tokens), TimeSpan.Zero); // nearest, not rounded down
        }
        // Rounded up to a whole tick: a caller retrying after exactly this long is admitted.
        var waitTicks = Math.Ceiling((permits - tokens) / limit.TokensPerSecond * TimeSpan.TicksPerSecond);
        return new RateLimitDecision(false, (long)Math.Round(tokens), TimeSpan.FromTicks((long)waitTicks));
    }

    public bool IsFull(long now, TimeProvider time)
    {
        Refill(now, time);
        return tokens >= limit.Capacity;
    }

    void Refill(long now, TimeProvider time)
    {
        if (now <= refilledAt) return;
        var gained = time.GetElapsedTime(refilledAt, now).TotalSeconds * limit.TokensPerSecond;
        tokens = Math.Min(limit.Capacity, tokens + gained);
        refilledAt = now;
    }
}
