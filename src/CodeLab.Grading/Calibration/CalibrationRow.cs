using System.Diagnostics;
using CodeLab.Exercises;
using CodeLab.Reports;
using CodeLab.Sandbox;

namespace CodeLab.Grading;

/// <summary>A target's grades, in the order they were made, and whether they are what the solution's folder says.</summary>
public sealed record CalibrationRow(CalibrationTarget Target, IReadOnlyList<CalibrationGrade> Grades)
{
    public IReadOnlyList<double?> Scores => Grades.Select(g => g.Report?.Score.Total).ToList();

    /// <summary>Every grade meets the expectation.</summary>
    public bool AsExpected => Grades.All(g => g.Problem is null);

    /// <summary>Every repeat has the same fingerprint.</summary>
    public bool Agrees => Grades.Select(g => g.Fingerprint).Distinct(StringComparer.Ordinal).Count() <= 1;

    public bool Ok => AsExpected && Agrees;

    public string Verdict => (AsExpected, Agrees) switch
    {
        (true, true) => "ok",
        (false, true) => "NOT AS EXPECTED",
        (true, false) => "DIFFERS",
        _ => "NOT AS EXPECTED, DIFFERS",
    };

    public double MedianSeconds => Calibration.Median(Grades.Select(g => g.Seconds).ToList());

    /// <summary>What is wrong, in words (empty when the row is ok).</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var grade in Grades.Where(g => g.Problem is not null))
            yield return $"{Target.Name} grade {grade.Attempt} of {Grades.Count}: {grade.Problem}";
        if (!Agrees)
        {
            var distinct = Grades.GroupBy(g => g.Fingerprint, StringComparer.Ordinal)
                .Select(g => $"grade{(g.Count() == 1 ? "" : "s")} {string.Join(", ", g.Select(x => x.Attempt))}: {g.Key}");
            yield return $"{Target.Name}: the repeats differ: {string.Join(" / ", distinct)}";
        }
    }
}
