namespace CodeLab.Load.Stats;

/// <summary>
/// Everything measured for one scenario, warm-up excluded. Plain data: thresholds read it, reports serialise it.
/// Latency is measured from each call's intended start (its place in the schedule), so a stalled service or a full
/// in-flight cap shows up in it; UncorrectedLatency is from the moment the call was actually made.
/// </summary>
public sealed record ScenarioStats
{
    public required string ScenarioName { get; init; }
    /// <summary>From the first scheduled call to the end of the last phase (or the last start, when later).</summary>
    public required double DurationSeconds { get; init; }
    public required long AllRequestCount { get; init; }
    public required long AllBytes { get; init; }
    public required MeasurementStats Ok { get; init; }
    public required MeasurementStats Fail { get; init; }
    /// <summary>Ok and failed calls together.</summary>
    public required MeasurementStats All { get; init; }
    /// <summary>Calls per second the schedule asked for; null when a closed-model phase sets the pace.</summary>
    public required double? TargetRate { get; init; }
    public required double AchievedRate { get; init; }
    public required IReadOnlyDictionary<string, long> StatusCodes { get; init; }
    /// <summary>The most frequent failure messages and how often each was seen.</summary>
    public required IReadOnlyDictionary<string, long> FailMessages { get; init; }
    /// <summary>Arrivals that could not start on time because the in-flight cap was full (they started late; the wait is in Latency).</summary>
    public required long LateStarts { get; init; }
    /// <summary>Calls still running when the drain time ran out (counted as failed).</summary>
    public required long Unfinished { get; init; }
    /// <summary>How late the generator itself started calls (scheduling and thread-pool delay, not the in-flight cap).</summary>
    public required LagStats GeneratorLag { get; init; }
    /// <summary>True when the generator lagged beyond its bound: the machine, not the service, limited this run.</summary>
    public required bool GeneratorBound { get; init; }
    public required IReadOnlyList<SecondStats> Series { get; init; }
    public IReadOnlyList<ThresholdResult> Thresholds { get; init; } = [];
    /// <summary>What the scenario's verification counted after the last call (see ScenarioProps.WithVerification).</summary>
    public IReadOnlyList<ScenarioCheck> Checks { get; init; } = [];

    /// <summary>
    /// The number the verification recorded under <paramref name="check"/>: how a threshold reads a counted figure by its
    /// name (<c>Figure("ms until the backlog drained") &lt; 10000</c>), and reports show that name as what was measured.
    /// Throws when no check has that name or its value is not a number, so the threshold fails with the reason.
    /// </summary>
    public double Figure(string check)
    {
        var found = Checks.FirstOrDefault(c => c.Name == check)
            ?? throw new InvalidOperationException($"the scenario recorded no check named '{check}'");
        return double.TryParse(found.Actual, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidOperationException($"the check '{check}' recorded '{found.Actual}', not a number");
    }
}

public sealed record MeasurementStats(RequestStats Request, LatencyStats Latency, LatencyStats UncorrectedLatency, long Bytes);

/// <param name="Percent">Share of all calls, 0-100.</param>
/// <param name="Rps">Calls per second over the scenario's duration.</param>
public sealed record RequestStats(long Count, double Percent, double Rps);

public sealed record LatencyStats(
    double MinMs, double MeanMs, double StdDevMs,
    double P50Ms, double P75Ms, double P90Ms, double P95Ms, double P99Ms, double P999Ms, double MaxMs)
{
    public static LatencyStats From(LatencyHistogram h) => new(
        Ms(h.Min), Math.Round(h.Mean / 1000, 3), Math.Round(h.StdDev() / 1000, 3),
        Ms(h.ValueAtPercentile(50)), Ms(h.ValueAtPercentile(75)), Ms(h.ValueAtPercentile(90)),
        Ms(h.ValueAtPercentile(95)), Ms(h.ValueAtPercentile(99)), Ms(h.ValueAtPercentile(99.9)), Ms(h.Max));

    static double Ms(long micros) => micros / 1000.0;
}

public sealed record LagStats(double P50Ms, double P99Ms, double MaxMs);

/// <summary>One second of the run, by the calls' intended start.</summary>
public sealed record SecondStats(int Second, long Ok, long Fail, double P50Ms, double P99Ms, double MaxMs);

/// <summary>A threshold's outcome with the value it saw, e.g. "Ok.Latency.P99Ms = 71 (needs &lt; 50)".</summary>
public sealed record ThresholdResult(string Expression, double? Actual, bool Passed, string Message);

/// <summary>The outcome of a run: one entry per scenario.</summary>
public sealed record LoadResult(IReadOnlyList<ScenarioStats> Scenarios)
{
    public bool AllThresholdsPassed => Scenarios.All(s => s.Thresholds.All(t => t.Passed));
    public ScenarioStats this[string scenarioName] => Scenarios.Single(s => s.ScenarioName == scenarioName);
}
