using System.Collections.Concurrent;

namespace Throttling;

/// <summary>
/// A token bucket per tenant, each with its tenant's limit from <see cref="RateLimitOptions"/>.
/// Buckets live in a concurrent dictionary and each is updated under its own lock, so tenants never contend
/// with each other. Memory stays bounded: at most once per idle timeout, a sweep drops buckets that are full
/// again and unused for that long (dropping a full bucket changes nothing a caller can observe).
/// </summary>
public sealed class TenantRateLimiter
{
    readonly RateLimitOptions options;
    readonly TimeProvider time;
    readonly ConcurrentDictionary<string, TokenBucket> buckets = new(StringComparer.Ordinal);
    long lastSweep;

    public TenantRateLimiter(RateLimitOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        Validate(options.Default, "Default");
        foreach (var (tenant, limit) in options.Tenants) Validate(limit, $"Tenants:{tenant}");
        if (options.IdleTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), "IdleTimeout must be positive.");
        this.options = options;
        time = timeProvider;
        lastSweep = time.GetTimestamp();
    }

    public BucketLimit LimitFor(string tenant) =>
        options.Tenants.TryGetValue(tenant, out var limit) ? limit : options.Default;

    public int TrackedKeys => buckets.Count;

    // The tenant API takes one token per call whatever it is asked (the junior limiter passes its permits on).
    public RateLimitDecision TryAcquire(string tenant, int permits = 1) => Take(tenant, 1);

    internal RateLimitDecision Take(string tenant, int permits)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var limit = LimitFor(tenant);
        ArgumentOutOfRangeException.ThrowIfLessThan(permits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permits, limit.Capacity);

        var now = time.GetTimestamp();
        SweepIfDue(now);
        while (true)
        {
            var bucket = buckets.GetOrAdd(tenant, static (_, state) => new TokenBucket(state.limit, state.now), (limit, now));
            lock (bucket)
            {
                // Lost a race with the sweep: this bucket is no longer in the dictionary, take the new one.
                if (bucket.Evicted) continue;
                return bucket.TryTake(permits, now, time);
            }
        }
    }

    void SweepIfDue(long now)
    {
        var last = Interlocked.Read(ref lastSweep);
        if (time.GetElapsedTime(last, now) < options.IdleTimeout) return;
        if (Interlocked.CompareExchange(ref lastSweep, now, last) != last) return; // another caller sweeps

        foreach (var (tenant, bucket) in buckets)
        {
            lock (bucket)
            {
                if (time.GetElapsedTime(bucket.LastUsed, now) < options.IdleTimeout || !bucket.IsFull(now, time)) continue;
                bucket.Evicted = true;
                buckets.TryRemove(new KeyValuePair<string, TokenBucket>(tenant, bucket));
            }
        }
    }

    static void Validate(BucketLimit? limit, string name)
    {
        if (limit is null) throw new ArgumentException($"RateLimiting:{name} is missing.");
        if (limit.Capacity < 1) throw new ArgumentOutOfRangeException(name, $"RateLimiting:{name}:Capacity must be at least 1.");
        if (!(limit.TokensPerSecond > 0) || double.IsInfinity(limit.TokensPerSecond))
            throw new ArgumentOutOfRangeException(name, $"RateLimiting:{name}:TokensPerSecond must be a positive number.");
    }
}
