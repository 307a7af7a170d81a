using System.Globalization;
using System.Text.RegularExpressions;
using CodeLab.Exercises;
using CodeLab.Reports;

namespace CodeLab.Grading;

/// <summary>What a shipped solution must score, and whether a report meets it.</summary>
public static partial class Calibration
{
    /// <summary>Null when the report meets the expectation, else what is wrong, in words.</summary>
    public static string? Check(Solution solution, GradeReport report)
    {
        if (report.Verdict != Verdicts.Graded)
            return $"verdict {report.Verdict}, expected graded ({report.Summary})";
        switch (solution.Kind)
        {
            case SolutionKind.Reference or SolutionKind.Alternative:
                if (report.Score.Total < 100)
                {
                    var failed = report.Tests.Where(t => t.Status != TestStatuses.Pass).Select(t => $"{t.Name} ({t.Status}: {t.Message})");
                    return $"scored {report.Score.Total}, expected 100; not passing: {string.Join("; ", failed)}";
                }
                return null;
            default:
                return CheckFlawed(solution, report);
        }
    }

    /// <summary>
    /// A flaw is caught when a test of its criterion FAILED (an assertion or a threshold said no: a time-out or a crash
    /// proves nothing about the flaw), and nothing else was lost than what its flaw.json lists: a flawed copy that
    /// drifts from its base, or a test that breaks for an unrelated reason, shows as points lost elsewhere.
    /// </summary>
    static string? CheckFlawed(Solution solution, GradeReport report)
    {
        var line = report.Score.Criteria.FirstOrDefault(c => c.Id == solution.Criterion);
        if (line is null) return $"criterion '{solution.Criterion}' is not scored at level {report.Level}";
        if (line.Score >= line.Max) return $"scored full marks on '{solution.Criterion}' ({Number(line.Score)}/{Number(line.Max)}); the flaw was not caught";
        var failed = report.Tests.Where(t => t.Criterion == solution.Criterion && t.Status == TestStatuses.Fail).ToList();
        if (failed.Count == 0)
        {
            var other = report.Tests.Where(t => t.Criterion == solution.Criterion && t.Status != TestStatuses.Pass).Select(t => $"{t.Name} ({t.Status})");
            return $"lost points on '{solution.Criterion}' only through tests that did not finish ({string.Join("; ", other)}); a catch is a test that fails";
        }
        var unexpected = report.Score.Criteria
            .Where(c => c.Score < c.Max && c.Id != solution.Criterion && !solution.AlsoLoses.Contains(c.Id))
            .Select(c => $"'{c.Id}' ({Number(c.Score)}/{Number(c.Max)}: {string.Join("; ", report.Tests.Where(t => t.Criterion == c.Id && t.Status != TestStatuses.Pass).Select(t => t.Name))})")
            .ToList();
        return unexpected.Count == 0 ? null
            : $"also lost points on {string.Join(", ", unexpected)}, which flaw.json does not list (\"alsoLoses\"): a drifted copy or a test failing for another reason";
    }

    /// <summary>Expectation in words, for tables.</summary>
    public static string Expectation(Solution solution) => solution.Kind switch
    {
        SolutionKind.Flawed => $"loses on {solution.Criterion}",
        _ => "100",
    };

    /// <summary>
    /// What two grades of the same submission must share: the verdict, the score of every criterion and the status of
    /// every test that did not pass (so the same tests pass).
    /// </summary>
    public static string Fingerprint(GradeReport report) =>
        $"{report.Verdict} | {string.Join(", ", report.Score.Criteria.Select(c => $"{c.Id}={Number(c.Score)}"))} | " +
        string.Join(", ", report.Tests.Where(t => t.Status != TestStatuses.Pass).OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => $"{t.Name}:{t.Status}"));

    public static double Median(IReadOnlyList<double> values) => ReferenceFigures.Median(values);

    /// <summary>
    /// The timing-sensitive figures the reports carry, per row over its repeats: each load threshold's actual value,
    /// how often the load generator fell behind (and its lag then, as the note gives it), and every check whose
    /// expectation is a bound ("&lt; 1000") with a number as its actual value (a fail-open latency, say).
    /// </summary>
    public static IReadOnlyList<CalibrationFigure> Figures(IReadOnlyList<CalibrationRow> rows)
    {
        var figures = new List<CalibrationFigure>();
        foreach (var row in rows)
        {
            var found = new Dictionary<(string Name, string Threshold), List<double>>();
            void Add(string name, string threshold, double value)
            {
                if (!found.TryGetValue((name, threshold), out var values)) found[(name, threshold)] = values = [];
                values.Add(value);
            }
            foreach (var report in row.Grades.Select(g => g.Report).OfType<GradeReport>())
            {
                foreach (var load in report.Load)
                {
                    foreach (var threshold in load.Thresholds.Where(t => t.Actual is not null))
                    {
                        var (left, bound) = SplitThreshold(threshold.Expression);
                        Add($"load {load.Scenario}: {left}", bound, threshold.Actual!.Value);
                    }
                    var lags = report.Notes.Where(n => n.StartsWith($"Load scenario {load.Scenario}:", StringComparison.Ordinal))
                        .SelectMany(n => LagInNote().Matches(n)).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
                    Add($"load {load.Scenario}: runs repeated because the generator fell behind", "at most 2 (3 runs)", lags.Count + (load.GeneratorBound ? 1 : 0));
                    foreach (var lag in lags) Add($"load {load.Scenario}: generator lag p99 of a repeated run (ms)", "the scenario's lag bound", lag);
                }
                foreach (var check in report.Checks)
                    if (BoundExpectation().IsMatch(check.Expected) && double.TryParse(check.Actual, NumberStyles.Float, CultureInfo.InvariantCulture, out var actual))
                        Add(check.Name, check.Expected.Trim(), actual);
            }
            figures.AddRange(found.Select(f => new CalibrationFigure(row.Target, f.Key.Name, f.Key.Threshold, f.Value)));
        }
        return figures;
    }

    /// <summary>
    /// How far the values seen are from the bound. Inside it: "2.4x", the bound being 2.4 times the worst value (for a
    /// `&lt;` bound; the worst value over the bound for a `&gt;` one). All outside it: "outside (1.2x)", the value
    /// nearest the bound being 1.2 times beyond it, so a flaw whose figure is only just outside shows (its grade may
    /// flip on a faster run). On both sides: "crosses", the repeats fell either way.
    /// </summary>
    public static string Headroom(CalibrationFigure figure)
    {
        var match = BoundExpectation().Match(figure.Threshold);
        if (!match.Success || figure.Values.Count == 0) return "";
        var bound = double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        var op = match.Groups[1].Value;
        var lessThan = op.StartsWith('<');
        bool Inside(double v) => op switch { "<" => v < bound, "<=" => v <= bound, ">" => v > bound, _ => v >= bound };
        var inside = figure.Values.Count(Inside);
        if (inside > 0 && inside < figure.Values.Count) return "crosses";
        if (inside == 0)
        {
            var nearest = lessThan ? figure.Values.Min() : figure.Values.Max();
            var beyond = lessThan ? (bound <= 0 ? double.PositiveInfinity : nearest / bound) : (nearest <= 0 ? double.PositiveInfinity : bound / nearest);
            return double.IsPositiveInfinity(beyond) ? "outside" : $"outside ({beyond.ToString("0.0", CultureInfo.InvariantCulture)}x)";
        }
        var worst = lessThan ? figure.Values.Max() : figure.Values.Min();
        var ratio = lessThan ? (worst <= 0 ? double.PositiveInfinity : bound / worst) : (bound <= 0 ? double.PositiveInfinity : worst / bound);
        return double.IsPositiveInfinity(ratio) ? "-" : $"{ratio.ToString("0.0", CultureInfo.InvariantCulture)}x";
    }

    static (string Left, string Bound) SplitThreshold(string expression)
    {
        var match = Comparison().Match(expression);
        return match.Success ? (LoadCheck.Label(match.Groups[1].Value), $"{match.Groups[2].Value} {match.Groups[3].Value.Trim()}") : (expression, "");
    }

    public static string Number(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"lag p99 ([0-9]+(?:\.[0-9]+)?) ms")]
    private static partial Regex LagInNote();

    [GeneratedRegex(@"^\s*(<=|>=|<|>)\s*(-?[0-9]+(?:\.[0-9]+)?)\s*$")]
    private static partial Regex BoundExpectation();

    [GeneratedRegex(@"^(.*?)(<=|>=|<|>|==)(.*)$")]
    private static partial Regex Comparison();
}
