namespace Throttling;

/// <summary>A token bucket per key, all with the same limit: a tenant limiter whose every tenant gets the default.</summary>
public sealed class TokenBucketLimiter(BucketLimit limit, TimeProvider timeProvider)
{
    readonly TenantRateLimiter limiter = new(new RateLimitOptions { Default = limit, IdleTimeout = TimeSpan.MaxValue }, timeProvider);

    public RateLimitDecision TryAcquire(string key, int permits = 1) => limiter.Take(key, permits);
}
