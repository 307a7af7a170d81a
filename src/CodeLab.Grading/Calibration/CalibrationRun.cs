using System.Diagnostics;
using CodeLab.Exercises;
using CodeLab.Reports;
using CodeLab.Sandbox;

namespace CodeLab.Grading;

/// <summary>A whole calibration: its rows, the figures, and what the engine still held afterwards.</summary>
public sealed record CalibrationRun(
    IReadOnlyList<CalibrationRow> Rows, IReadOnlyList<CalibrationFigure> Figures, IReadOnlyList<string> Leftovers,
    CalibrationOptions Options, DateTimeOffset Started, TimeSpan Elapsed, MachineSummary Machine)
{
    public bool Ok => Rows.All(r => r.Ok) && Leftovers.Count == 0;

    /// <summary>
    /// What each exercise folder's reference measured at the levels calibrated: per check (and load threshold) the
    /// median over its grades, to show beside a candidate's figures (<see cref="ReferenceFigures"/>).
    /// </summary>
    public IEnumerable<(Exercise Part, ReferenceFigures Figures)> ReferenceFigures() =>
        Rows.Where(r => r.Target.Solution.Kind == SolutionKind.Reference)
            .GroupBy(r => r.Target.Exercise.Folder)
            .Select(part => (part.First().Target.Exercise, Exercises.ReferenceFigures.From(part.ToDictionary(
                r => r.Target.Level.Id,
                r => (IReadOnlyList<IReadOnlyList<(string, string)>>)r.Grades.Select(g => g.Report).OfType<GradeReport>().Select(FiguresOf).ToList()))));

    static IReadOnlyList<(string Name, string Value)> FiguresOf(GradeReport report) =>
    [
        .. report.Checks.Select(c => (c.Name, c.Actual)),
        .. report.Load.SelectMany(l => l.Thresholds.Where(t => t.Actual is not null).Select(t =>
            (Exercises.ReferenceFigures.ThresholdKey(l.Scenario, t.Expression), t.Actual!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)))),
    ];

    public IEnumerable<string> Problems() =>
        Rows.SelectMany(r => r.Problems())
            .Concat(Leftovers.Count == 0 ? [] : [$"left behind after the grades: {string.Join("; ", Leftovers)}"]);
}
