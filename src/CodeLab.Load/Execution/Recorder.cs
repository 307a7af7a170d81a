using System.Collections.Concurrent;
using CodeLab.Load.Stats;

namespace CodeLab.Load.Execution;

/// <summary>
/// Where the calls of one stage (warm-up or measurement) land. Recording allocates nothing on the hot path (histograms,
/// interlocked counters); failure messages are kept for the first few distinct texts only.
/// </summary>
internal sealed class Recorder(long origin)
{
    const int MaxMessages = 20;
    const string OtherMessages = "(other messages)";

    readonly LatencyHistogram ok = new();
    readonly LatencyHistogram fail = new();
    readonly LatencyHistogram okUncorrected = new();
    readonly LatencyHistogram failUncorrected = new();
    readonly LatencyHistogram lag = new();
    readonly long[] statusCodes = new long[1000];
    readonly ConcurrentDictionary<string, long> failMessages = new();
    readonly Series series = new();
    long okBytes;
    long failBytes;
    long started;
    long lateStarts;
    long lastStart;
    long unfinished;
    volatile bool closed;

    public long Origin { get; } = origin;
    public long Started => Volatile.Read(ref started);
    public long OkCount => ok.TotalCount;
    public long FailCount => fail.TotalCount;
    public long LastStart => Volatile.Read(ref lastStart);

    public void LateStart() => Interlocked.Increment(ref lateStarts);

    /// <param name="lagTicks">Generator lag, for open-model and burst calls; null in a closed model (no schedule).</param>
    public void MarkStarted(long now, long? lagTicks)
    {
        Interlocked.Increment(ref started);
        long seen;
        while (now > (seen = Volatile.Read(ref lastStart)) && Interlocked.CompareExchange(ref lastStart, now, seen) != seen) { }
        if (lagTicks is { } l) lag.Record(Clock.Micros(l));
    }

    public void Record(in Response response, long intended, long actualStart, long end)
    {
        if (closed) return;
        var latency = Clock.Micros(end - intended);
        var uncorrected = Clock.Micros(end - actualStart);
        if (response.IsOk)
        {
            ok.Record(latency);
            okUncorrected.Record(uncorrected);
            if (response.SizeBytes > 0) Interlocked.Add(ref okBytes, response.SizeBytes);
        }
        else
        {
            fail.Record(latency);
            failUncorrected.Record(uncorrected);
            if (response.SizeBytes > 0) Interlocked.Add(ref failBytes, response.SizeBytes);
            if (response.Message is { } message) CountMessage(message);
        }
        if (response.StatusCode is { } code && code >= 0 && code < statusCodes.Length) Interlocked.Increment(ref statusCodes[code]);
        series.Record((int)Clock.Seconds(intended - Origin), latency, response.IsOk);
    }

    /// <summary>Stops recording: calls that finish after this (cancelled stragglers) change nothing.</summary>
    public void Close(long stillRunning)
    {
        unfinished = stillRunning;
        closed = true;
        if (stillRunning > 0) failMessages.AddOrUpdate("still running when the drain time ran out", stillRunning, (_, n) => n + stillRunning);
    }

    void CountMessage(string message)
    {
        if (failMessages.TryGetValue(message, out _) || failMessages.Count < MaxMessages)
            failMessages.AddOrUpdate(message, 1, static (_, n) => n + 1);
        else
            failMessages.AddOrUpdate(OtherMessages, 1, static (_, n) => n + 1);
    }

    public ScenarioStats ToStats(string name, double durationSeconds, double? targetRate, TimeSpan lagBound)
    {
        var okCount = ok.TotalCount;
        var failCount = fail.TotalCount + unfinished;
        var all = okCount + failCount;
        var allLatency = Merge(ok, fail);
        var allUncorrected = Merge(okUncorrected, failUncorrected);
        var seconds = Math.Max(durationSeconds, 1e-6);
        MeasurementStats Measure(long count, LatencyHistogram latency, LatencyHistogram uncorrected, long bytes) => new(
            new RequestStats(count, all == 0 ? 0 : Math.Round(100.0 * count / all, 3), Math.Round(count / seconds, 3)),
            LatencyStats.From(latency), LatencyStats.From(uncorrected), bytes);
        var lagStats = new LagStats(lag.ValueAtPercentile(50) / 1000.0, lag.ValueAtPercentile(99) / 1000.0, lag.Max / 1000.0);
        return new ScenarioStats
        {
            ScenarioName = name,
            DurationSeconds = Math.Round(durationSeconds, 3),
            AllRequestCount = all,
            AllBytes = okBytes + failBytes,
            Ok = Measure(okCount, ok, okUncorrected, okBytes),
            Fail = Measure(failCount, fail, failUncorrected, failBytes),
            All = Measure(all, allLatency, allUncorrected, okBytes + failBytes),
            TargetRate = targetRate is { } t ? Math.Round(t, 3) : null,
            AchievedRate = Math.Round(Started / seconds, 3),
            StatusCodes = Enumerable.Range(0, statusCodes.Length).Where(c => statusCodes[c] > 0)
                .ToDictionary(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture), c => statusCodes[c]),
            FailMessages = failMessages.OrderByDescending(m => m.Value).ThenBy(m => m.Key, StringComparer.Ordinal).ToDictionary(m => m.Key, m => m.Value),
            LateStarts = lateStarts,
            Unfinished = unfinished,
            GeneratorLag = lagStats,
            GeneratorBound = lag.TotalCount > 0 && lagStats.P99Ms > lagBound.TotalMilliseconds,
            Series = series.ToStats(),
        };
    }

    static LatencyHistogram Merge(LatencyHistogram a, LatencyHistogram b)
    {
        var merged = new LatencyHistogram(a.SignificantDigits, a.HighestTrackable);
        merged.Add(a);
        merged.Add(b);
        return merged;
    }
}
