using System.Text.Json;
using CodeLab.Exercises;
using CodeLab.Load.Stats;
using CodeLab.Reports;

namespace CodeLab.Grading;

/// <summary>
/// Turns a load scenario's stats into its score (a pass when every threshold holds and every check the judge's fakes
/// made held) and its report entry. A run the generator could not keep up with is an error, not a fail: the
/// machine, not the candidate, set its pace; but a failed check (a key charged twice) is a fail at any pace.
/// </summary>
internal static class LoadOutcome
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<(TestOutcome Outcome, LoadReport Report)> EvaluateAsync(LoadCheck check, (string? Json, string? Message) measured)
    {
        ScenarioStats? stats = null;
        // With stats, the judge's message is a note (see LoadHost); without, it says why there are none.
        var error = measured.Json is null ? measured.Message ?? "no stats" : null;
        if (error is null)
        {
            try { stats = JsonSerializer.Deserialize<ScenarioStats>(measured.Json!, Json); }
            catch (JsonException ex) { error = "the judge sent unreadable stats: " + ex.Message; }
        }
        if (stats is null)
        {
            var why = $"The load scenario could not run: {(error ?? "no stats").TrimEnd('.')}.";
            return (new TestOutcome(TestStatuses.Error, why, null, null, null),
                new LoadReport(check.Scenario, check.Criterion, null, 0, new LoadRequests(0, 0), new LoadLatency(0, 0, 0, 0), false, [], why));
        }

        var thresholds = new List<ThresholdResult>();
        foreach (var expression in check.Thresholds) thresholds.Add(await LoadThresholds.EvaluateAsync(expression, stats));
        var report = new LoadReport(
            check.Scenario, check.Criterion, stats.TargetRate, stats.AchievedRate,
            new LoadRequests(stats.Ok.Request.Count, stats.Fail.Request.Count),
            new LoadLatency(stats.All.Latency.P50Ms, stats.All.Latency.P95Ms, stats.All.Latency.P99Ms, stats.All.Latency.MaxMs),
            stats.GeneratorBound,
            thresholds.Select(t => new LoadThreshold(t.Expression, t.Actual, t.Passed, t.Message)).ToList())
        {
            Checks = stats.Checks.Select(c => new CheckReport($"{check.Scenario} load: {c.Name}", check.Criterion, c.Expected, c.Actual, c.Passed)).ToList(),
            Series = stats.Series.Select(s => new LoadSecond(s.Second, s.Ok, s.Fail, s.P50Ms, s.P99Ms, s.MaxMs)).ToList(),
        };

        var figures = $"{stats.AllRequestCount} calls at {stats.AchievedRate:0.#}/s, p99 {stats.All.Latency.P99Ms:0.#} ms, {stats.Fail.Request.Percent:0.##} % failed";
        var failed = thresholds.Where(t => !t.Passed).ToList();
        var wrong = stats.Checks.Where(c => !c.Passed).ToList();
        var outcome = wrong.Count > 0
            ? new TestOutcome(TestStatuses.Fail, $"{string.Join("; ", wrong.Select(c => $"{c.Name}: {c.Actual} (expected {c.Expected})"))}{(failed.Count > 0 ? "; " + string.Join("; ", failed.Select(t => t.Message)) : "")} ({figures}).", stats.DurationSeconds * 1000, null, null)
            : stats.GeneratorBound
            ? new TestOutcome(TestStatuses.Error, $"Inconclusive: the load generator fell behind its schedule (lag p99 {stats.GeneratorLag.P99Ms:0.#} ms), so this machine, not the service, limited the run ({figures}).", stats.DurationSeconds * 1000, null, null)
            : failed.Count == 0
                ? new TestOutcome(TestStatuses.Pass, null, stats.DurationSeconds * 1000, null, null)
                : new TestOutcome(TestStatuses.Fail, $"{string.Join("; ", failed.Select(t => t.Message))} ({figures}).", stats.DurationSeconds * 1000, null, null);
        return (outcome, report);
    }
}
