using System.Diagnostics;
using CodeLab.Exercises;
using CodeLab.Reports;
using CodeLab.Sandbox;

namespace CodeLab.Grading;

/// <summary>
/// How many times each shipped solution is graded, how many grades run at once, and which exercise and level.
/// <see cref="Full"/> is `codelab calibrate` (the proof that a grade repeats); <see cref="Ci"/> is what the calibration
/// tests run on every build (every solution once, every reference a second time).
/// </summary>
public sealed record CalibrationOptions
{
    public string? Exercise { get; init; }
    public string? Level { get; init; }
    /// <summary>Only the solution of this name ("reference", an alternative's or a flawed solution's folder name).</summary>
    public string? Solution { get; init; }
    /// <summary>Only the solutions that must score 100: the reference and the alternatives (a table proving correct designs are never marked down).</summary>
    public bool CorrectOnly { get; init; }
    /// <summary>Grades running at the same time (a grading server runs two on a 2-core machine).</summary>
    public int Parallel { get; init; } = 1;
    public required Func<SolutionKind, int> Repeats { get; init; }
    /// <summary>Where each grade's report.json and report.md go (&lt;exercise&gt;/&lt;level&gt;/&lt;solution&gt;/&lt;attempt&gt;/); none when null.</summary>
    public string? ReportsFolder { get; init; }
    /// <summary>The clock that dates the run (the table's header).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
    /// <summary>In words, for the table's header ("5 (reference, alternatives), 3 (flawed)").</summary>
    public required string RepeatsText { get; init; }

    public static CalibrationOptions Full => new()
    {
        Repeats = kind => kind == SolutionKind.Flawed ? 3 : 5,
        RepeatsText = "5 (reference, alternatives), 3 (flawed)",
    };

    public static CalibrationOptions Ci => new()
    {
        Parallel = 2,
        Repeats = kind => kind == SolutionKind.Reference ? 2 : 1,
        RepeatsText = "2 (reference), 1 (alternatives, flawed)",
    };

    public CalibrationOptions WithRepeat(int times) => this with { Repeats = _ => times, RepeatsText = times.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}
