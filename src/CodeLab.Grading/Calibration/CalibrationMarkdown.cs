using System.Globalization;
using System.Text;

namespace CodeLab.Grading;

/// <summary>
/// A calibration as Markdown: what ran where, a row per solution and level (scores over the repeats, verdict, median
/// seconds), the spread of the timing-sensitive figures against their thresholds, and what is wrong. `codelab
/// calibrate` prints it (exercises keep it as CALIBRATION.md); the calibration tests write it to artifacts/calibration.
/// </summary>
public static class CalibrationMarkdown
{
    public static string Render(CalibrationRun run, string command)
    {
        var text = new StringBuilder();
        var exercises = run.Rows.Select(r => r.Target.Exercise.Id).Distinct().ToList();
        text.AppendLine($"# Calibration: {(exercises.Count == 1 ? exercises[0] : string.Join(", ", exercises))}");
        text.AppendLine();
        text.AppendLine($"`{command}` on {run.Started.ToUniversalTime():yyyy-MM-dd HH:mm} UTC, {run.Machine}.");
        text.AppendLine($"Each solution graded {run.Options.RepeatsText} time(s), {run.Options.Parallel} grade(s) at a time; " +
                        $"{run.Rows.Sum(r => r.Grades.Count)} grades in {Minutes(run.Elapsed)}" +
                        (run.Options.ReportsFolder is null ? "." : $"; reports under {run.Options.ReportsFolder}/<exercise>/<level>/<solution>/<grade>/."));
        text.AppendLine();
        Table(text, ["exercise", "level", "solution", "kind", "expected", "scores", "verdict", "seconds (median)"],
            run.Rows.Select(r => new[]
            {
                r.Target.Exercise.Id, r.Target.Level.Id, r.Target.Solution.Name, r.Target.Solution.Kind.ToString().ToLowerInvariant(),
                Calibration.Expectation(r.Target.Solution),
                string.Join(" ", r.Scores.Select(s => s is { } v ? Calibration.Number(v) : "-")),
                r.Verdict, r.MedianSeconds.ToString("0.0", CultureInfo.InvariantCulture),
            }));

        text.AppendLine();
        text.AppendLine("## Timing-sensitive figures");
        text.AppendLine();
        if (run.Figures.Count == 0)
        {
            text.AppendLine("None: these reports carry no load section and no check with a bound.");
        }
        else
        {
            text.AppendLine("Each figure over the repeats of a solution; headroom is how far the worst value is from the threshold " +
                            "(the threshold divided by the largest value for a `<` bound); \"outside (1.2x)\" says how far beyond it the " +
                            "nearest value is (a flaw only just outside may pass on a faster run), and \"crosses\" that the repeats fell " +
                            "on both sides of it.");
            text.AppendLine();
            Table(text, ["exercise", "level", "solution", "figure", "threshold", "n", "min", "median", "max", "headroom"],
                run.Figures.Select(f => new[]
                {
                    f.Target.Exercise.Id, f.Target.Level.Id, f.Target.Solution.Name, f.Name, f.Threshold,
                    f.Values.Count.ToString(CultureInfo.InvariantCulture), Calibration.Number(f.Values.Min()),
                    Calibration.Number(Calibration.Median(f.Values)), Calibration.Number(f.Values.Max()), Calibration.Headroom(f),
                }));
        }

        text.AppendLine();
        text.AppendLine("## Result");
        text.AppendLine();
        var problems = run.Problems().ToList();
        if (problems.Count == 0)
        {
            text.AppendLine($"All {run.Rows.Count} rows as expected and every repeat the same grade; no container or network left behind.");
        }
        else
        {
            text.AppendLine($"{problems.Count} problem(s):");
            text.AppendLine();
            foreach (var problem in problems) text.AppendLine($"- {Cell(problem)}");
        }
        return text.ToString();
    }

    /// <summary>One line per grade for progress output: "[3/56] rate-limiter senior reference (1/2): 100 in 41.2 s, ok".</summary>
    public static string ProgressLine(CalibrationGrade grade, int done, int total) =>
        $"[{done}/{total}] {grade.Target.Name} ({grade.Attempt}/{grade.Target.Repeats}): " +
        $"{(grade.Report is { } r ? $"{Calibration.Number(r.Score.Total)} ({r.Verdict})" : "no report")} in {grade.Seconds.ToString("0.0", CultureInfo.InvariantCulture)} s, " +
        (grade.Problem is null ? "as expected" : $"NOT AS EXPECTED: {grade.Problem}");

    static void Table(StringBuilder text, string[] headers, IEnumerable<string[]> rows)
    {
        text.AppendLine($"| {string.Join(" | ", headers)} |");
        text.AppendLine($"| {string.Join(" | ", headers.Select(_ => "---"))} |");
        foreach (var row in rows) text.AppendLine($"| {string.Join(" | ", row.Select(Cell))} |");
    }

    static string Cell(string value) => value.ReplaceLineEndings(" ").Replace("|", "\\|");

    static string Minutes(TimeSpan elapsed) =>
        elapsed.TotalMinutes >= 1 ? $"{elapsed.TotalMinutes.ToString("0.0", CultureInfo.InvariantCulture)} min" : $"{elapsed.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s";
}
