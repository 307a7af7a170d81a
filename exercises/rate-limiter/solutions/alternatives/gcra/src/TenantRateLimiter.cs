using System.Collections.Concurrent;

namespace Throttling;

public sealed class TenantRateLimiter
{
    readonly RateLimitOptions options;
    readonly TimeProvider time;
    readonly long origin;
    readonly ConcurrentDictionary<string, GcraState> states = new(StringComparer.Ordinal);
    readonly ITimer? sweeper;

    public TenantRateLimiter(RateLimitOptions options, TimeProvider timeProvider)
    {
        this.options = options ?? throw new ArgumentNullException(nameof(options));
        time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        origin = time.GetTimestamp();
        if (options.IdleTimeout != Timeout.InfiniteTimeSpan)
        {
            // The timer holds the limiter weakly, so a limiter nobody uses any more can still be collected.
            sweeper = time.CreateTimer(static state =>
            {
                if (((WeakReference<TenantRateLimiter>)state!).TryGetTarget(out var limiter)) limiter.Sweep();
            }, new WeakReference<TenantRateLimiter>(this), options.IdleTimeout, options.IdleTimeout);
        }
    }

    public BucketLimit LimitFor(string tenant) => options.Tenants.GetValueOrDefault(tenant) ?? options.Default;

    public int TrackedKeys => states.Count;

    public RateLimitDecision TryAcquire(string tenant, int permits = 1)
    {
        var limit = LimitFor(tenant);
        if (permits < 1 || permits > limit.Capacity)
            throw new ArgumentOutOfRangeException(nameof(permits), permits, $"permits must be between 1 and {limit.Capacity}.");
        var now = Now();
        while (true)
        {
            var state = states.GetOrAdd(tenant, _ => new GcraState(limit));
            var decision = state.TryTake(permits, now);
            if (!state.IsRetired) return decision;
        }
    }

    long Now() => time.GetElapsedTime(origin).Ticks;

    void Sweep()
    {
        var now = Now();
        var idleSince = now - options.IdleTimeout.Ticks;
        foreach (var (tenant, state) in states)
            if (state.TryRetire(now, idleSince)) states.TryRemove(new KeyValuePair<string, GcraState>(tenant, state));
    }
}
