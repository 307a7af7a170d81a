namespace Throttling;

/// <summary>
/// The generic cell rate algorithm: instead of counting tokens, remember the theoretical arrival time (TAT) at
/// which the bucket would be full again. A call of n permits is admitted when pushing the TAT by n emission
/// intervals keeps it within capacity intervals of now. Same behaviour as a token bucket, one number of state.
/// All times are in ticks since the limiter's origin.
/// </summary>
internal sealed class GcraState(BucketLimit limit)
{
    double theoreticalArrival; // ticks; <= now means the bucket is full
    long lastUsed;

    public double Interval { get; } = TimeSpan.TicksPerSecond / limit.TokensPerSecond;

    public long LastUsed => Volatile.Read(ref lastUsed);

    public RateLimitDecision TryTake(int permits, long now)
    {
        var window = limit.Capacity * Interval;
        while (true)
        {
            var seen = Volatile.Read(ref theoreticalArrival);
            var start = Math.Max(seen, now);
            var next = start + permits * Interval;
            if (next - now > window)
            {
                var retryTicks = Math.Ceiling(next - now - window);
                return new RateLimitDecision(false, WholeTokens(window - (start - now)), TimeSpan.FromTicks((long)retryTicks));
            }
            if (Interlocked.CompareExchange(ref theoreticalArrival, next, seen) == seen)
            {
                Interlocked.Exchange(ref lastUsed, now);
                return new RateLimitDecision(true, WholeTokens(window - (next - now)), TimeSpan.Zero);
            }
        }
    }

    /// <summary>Marks the state retired if it is full and unused since <paramref name="idleSince"/>; a retired state admits nothing.</summary>
    public bool TryRetire(long now, long idleSince)
    {
        var seen = Volatile.Read(ref theoreticalArrival);
        if (seen > now || LastUsed > idleSince) return false;
        // Park the TAT at +infinity so a caller racing with the retirement is refused and retries on a fresh state.
        if (Interlocked.CompareExchange(ref theoreticalArrival, double.PositiveInfinity, seen) != seen) return false;
        return true;
    }

    public bool IsRetired => double.IsPositiveInfinity(Volatile.Read(ref theoreticalArrival));

    long WholeTokens(double freeTicks) => (long)Math.Floor(freeTicks / Interval + 1e-9);
}
