using System.Text.Json;
using CodeLab.Exercises;
using CodeLab.Load.Stats;
using CodeLab.Reports;

namespace CodeLab.Grading;

/// <summary>
/// Turns a load scenario's stats into its score (a pass when every threshold holds and every check the judge's fakes
/// made held) and its report entry. A failed check (a key charged twice) is a fail at any pace. A run whose generator
/// fell behind its schedule still passes when every threshold holds (latency counts from each call's intended start, so
/// the lag only made the run harder). When it fails, it is inconclusive, the machine and not the service having set its
/// pace, unless the candidate's own containers were the largest consumer of CPU while it ran (see <see cref="CpuShare"/>):
/// a service cannot turn a failing load run into a re-take by starving the generator.
/// </summary>
internal static class LoadOutcome
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <param name="cpu">Who used the CPU while the scenario ran; null when the host's accounting cannot be read.</param>
    public static async Task<(TestOutcome Outcome, LoadReport Report)> EvaluateAsync(LoadCheck check, (string? Json, string? Message) measured, CpuShare? cpu = null)
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
            GeneratorLagMs = new LoadGeneratorLag(stats.GeneratorLag.P50Ms, stats.GeneratorLag.P99Ms, stats.GeneratorLag.MaxMs),
            Series = stats.Series.Select(s => new LoadSecond(s.Second, s.Ok, s.Fail, s.P50Ms, s.P99Ms, s.MaxMs)).ToList(),
        };

        var figures = $"{stats.AllRequestCount} calls at {stats.AchievedRate:0.#}/s, p99 {stats.All.Latency.P99Ms:0.#} ms, {stats.Fail.Request.Percent:0.##} % failed";
        var failed = thresholds.Where(t => !t.Passed).ToList();
        var wrong = stats.Checks.Where(c => !c.Passed).ToList();
        var duration = stats.DurationSeconds * 1000;
        var lag = $"lag p99 {stats.GeneratorLag.P99Ms:0.#} ms, max {stats.GeneratorLag.MaxMs:0.#} ms";
        TestOutcome outcome;
        if (wrong.Count > 0)
            outcome = new TestOutcome(TestStatuses.Fail, $"{string.Join("; ", wrong.Select(c => $"{c.Name}: {c.Actual} (expected {c.Expected})"))}{(failed.Count > 0 ? "; " + string.Join("; ", failed.Select(t => t.Message)) : "")} ({figures}).", duration, null, null);
        else if (failed.Count == 0)
            outcome = new TestOutcome(TestStatuses.Pass, null, duration, null, null);
        else if (!stats.GeneratorBound)
            outcome = new TestOutcome(TestStatuses.Fail, $"{string.Join("; ", failed.Select(t => t.Message))} ({figures}).", duration, null, null);
        else if (cpu is { CandidateWasLargest: true })
            outcome = new TestOutcome(TestStatuses.Fail,
                $"{string.Join("; ", failed.Select(t => t.Message))} ({figures}). The load generator fell behind its schedule ({lag}) because the service's own containers took the machine's CPU: {cpu.Describe()}.", duration, null, null);
        else
        {
            var why = $"the load generator of scenario {check.Scenario} fell behind its schedule ({lag}), so this machine, not the service, limited the run ({(cpu is null ? "the host's CPU accounting could not be read to say who used the CPU" : cpu.Describe())})";
            outcome = new TestOutcome(TestStatuses.Error, $"Inconclusive: {why}; thresholds not met in that run: {string.Join("; ", failed.Select(t => t.Message))} ({figures}).", duration, null, null)
            {
                Inconclusive = why,
            };
        }
        return (outcome, report);
    }
}
