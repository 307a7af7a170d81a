using CodeLab.Exercises;
using CodeLab.Reports;

namespace CodeLab.Grading;

/// <summary>What a shipped solution must score, and whether a report meets it.</summary>
public static class Calibration
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
                var line = report.Score.Criteria.FirstOrDefault(c => c.Id == solution.Criterion);
                if (line is null) return $"criterion '{solution.Criterion}' is not scored at level {report.Level}";
                return line.Score < line.Max ? null : $"scored full marks on '{solution.Criterion}' ({line.Score}/{line.Max}); the flaw was not caught";
        }
    }

    /// <summary>Expectation in words, for tables.</summary>
    public static string Expectation(Solution solution) => solution.Kind switch
    {
        SolutionKind.Flawed => $"loses on {solution.Criterion}",
        _ => "100",
    };
}
