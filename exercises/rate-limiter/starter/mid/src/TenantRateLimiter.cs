namespace Throttling;

/// <summary>
/// A token bucket per tenant, each with its tenant's limit from <see cref="RateLimitOptions"/>.
/// Safe to call from many threads at once; memory stays bounded by evicting idle buckets.
/// </summary>
public sealed class TenantRateLimiter
{
    public TenantRateLimiter(RateLimitOptions options, TimeProvider timeProvider)
    {
        throw new NotImplementedException();
    }

    /// <summary>The limit that applies to <paramref name="tenant"/>.</summary>
    public BucketLimit LimitFor(string tenant) => throw new NotImplementedException();

    /// <summary>How many tenant buckets are held in memory right now.</summary>
    public int TrackedKeys => throw new NotImplementedException();

    /// <summary>Takes <paramref name="permits"/> tokens from <paramref name="tenant"/>'s bucket if it has them.</summary>
    public RateLimitDecision TryAcquire(string tenant, int permits = 1)
    {
        throw new NotImplementedException();
    }
}
