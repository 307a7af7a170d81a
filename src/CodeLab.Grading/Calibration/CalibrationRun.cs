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

    public IEnumerable<string> Problems() =>
        Rows.SelectMany(r => r.Problems())
            .Concat(Leftovers.Count == 0 ? [] : [$"left behind after the grades: {string.Join("; ", Leftovers)}"]);
}
