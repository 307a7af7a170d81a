namespace Throttling;

/// <summary>
/// A fixed window counter posing as a bucket: up to Capacity calls per window of Capacity / TokensPerSecond
/// seconds, and the count starts over when a new window begins.
/// </summary>
internal sealed class TokenBucket(BucketLimit limit, long now)
{
    long windowStart = now;
    int used;

    public BucketLimit Limit => limit;

    public long LastUsed { get; private set; } = now;

    public bool Evicted { get; set; }

    TimeSpan Window => TimeSpan.FromSeconds(limit.Capacity / limit.TokensPerSecond);

    public RateLimitDecision TryTake(int permits, long now, TimeProvider time)
    {
        Roll(now, time);
        LastUsed = now;
        if (used + permits <= limit.Capacity)
        {
            used += permits;
            return new RateLimitDecision(true, limit.Capacity - used, TimeSpan.Zero);
        }
        return new RateLimitDecision(false, limit.Capacity - used, Window - time.GetElapsedTime(windowStart, now));
    }

    public bool IsFull(long now, TimeProvider time)
    {
        Roll(now, time);
        return used == 0;
    }

    void Roll(long now, TimeProvider time)
    {
        if (time.GetElapsedTime(windowStart, now) < Window) return;
        windowStart = now;
        used = 0;
    }
}
