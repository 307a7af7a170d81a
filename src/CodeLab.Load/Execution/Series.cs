using CodeLab.Load.Stats;

namespace CodeLab.Load.Execution;

/// <summary>Per-second counts and a coarse (2 significant digits) latency histogram per second of the run.</summary>
internal sealed class Series
{
    const int MaxSeconds = 3600;
    readonly Lock grow = new();
    Bucket?[] buckets = new Bucket?[64];

    public void Record(int second, long latencyMicros, bool ok)
    {
        var bucket = Get(Math.Clamp(second, 0, MaxSeconds - 1));
        if (ok) Interlocked.Increment(ref bucket.Ok); else Interlocked.Increment(ref bucket.Fail);
        bucket.Latency.Record(latencyMicros);
    }

    public IReadOnlyList<SecondStats> ToStats()
    {
        var all = Volatile.Read(ref buckets);
        var last = Array.FindLastIndex(all, b => b is not null);
        return Enumerable.Range(0, last + 1).Select(s => all[s] is { } b
            ? new SecondStats(s, b.Ok, b.Fail, b.Latency.ValueAtPercentile(50) / 1000.0, b.Latency.ValueAtPercentile(99) / 1000.0, b.Latency.Max / 1000.0)
            : new SecondStats(s, 0, 0, 0, 0, 0)).ToArray();
    }

    Bucket Get(int second)
    {
        var all = Volatile.Read(ref buckets);
        if (second < all.Length && all[second] is { } found) return found;
        lock (grow)
        {
            if (second >= buckets.Length) Array.Resize(ref buckets, Math.Max(second + 1, buckets.Length * 2));
            return buckets[second] ??= new Bucket();
        }
    }

    sealed class Bucket
    {
        public long Ok;
        public long Fail;
        public readonly LatencyHistogram Latency = new(significantDigits: 2);
    }
}
