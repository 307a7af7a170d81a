namespace CodeLab.Load.Stats;

/// <summary>
/// The compact, stable JSON shape of one scenario's result (what `codelab load --json` prints and reports embed):
/// latency over all calls from their intended start, the uncorrected latency beside it, and the generator's own lag.
/// </summary>
public sealed record LoadSummary(
    string Scenario,
    RequestCounts Requests,
    double? TargetRate,
    double AchievedRate,
    double DurationSeconds,
    LatencySummary LatencyMs,
    LatencySummary UncorrectedLatencyMs,
    IReadOnlyDictionary<string, long> StatusCodes,
    IReadOnlyDictionary<string, long> FailMessages,
    LagSummary GeneratorLagMs,
    bool GeneratorBound,
    long LateStarts,
    IReadOnlyList<ThresholdResult> Thresholds,
    IReadOnlyList<SecondStats> Series)
{
    public static LoadSummary From(ScenarioStats s) => new(
        s.ScenarioName,
        new RequestCounts(s.Ok.Request.Count, s.Fail.Request.Count, s.AllRequestCount),
        s.TargetRate,
        s.AchievedRate,
        s.DurationSeconds,
        LatencySummary.From(s.All.Latency),
        LatencySummary.From(s.All.UncorrectedLatency),
        s.StatusCodes,
        s.FailMessages,
        new LagSummary(s.GeneratorLag.P99Ms, s.GeneratorLag.MaxMs),
        s.GeneratorBound,
        s.LateStarts,
        s.Thresholds,
        s.Series);
}

public sealed record RequestCounts(long Ok, long Fail, long Total);

public sealed record LatencySummary(double P50, double P75, double P90, double P95, double P99, double P999, double Max, double Mean)
{
    public static LatencySummary From(LatencyStats l) => new(l.P50Ms, l.P75Ms, l.P90Ms, l.P95Ms, l.P99Ms, l.P999Ms, l.MaxMs, l.MeanMs);
}

public sealed record LagSummary(double P99, double Max);
