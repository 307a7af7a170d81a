namespace Throttling;

/// <summary>
/// A token bucket per key, all with the same limit. Safe to call from many threads at once.
/// Time comes from the <see cref="TimeProvider"/> it is given, never from the system clock directly.
/// </summary>
public sealed class TokenBucketLimiter
{
    public TokenBucketLimiter(BucketLimit limit, TimeProvider timeProvider)
    {
        throw new NotImplementedException();
    }

    /// <summary>Takes <paramref name="permits"/> tokens from <paramref name="key"/>'s bucket if it has them.</summary>
    /// <exception cref="ArgumentOutOfRangeException">permits is below 1 or above the bucket's capacity.</exception>
    public RateLimitDecision TryAcquire(string key, int permits = 1)
    {
        throw new NotImplementedException();
    }
}
