namespace Throttling;

public sealed class TokenBucketLimiter
{
    readonly TenantRateLimiter limiter;

    public TokenBucketLimiter(BucketLimit limit, TimeProvider timeProvider) =>
        limiter = new TenantRateLimiter(new RateLimitOptions { Default = limit, IdleTimeout = Timeout.InfiniteTimeSpan }, timeProvider);

    public RateLimitDecision TryAcquire(string key, int permits = 1) => limiter.TryAcquire(key, permits);
}
