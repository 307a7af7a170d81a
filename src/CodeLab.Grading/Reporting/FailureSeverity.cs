using CodeLab.Exercises;
using CodeLab.Reports;

namespace CodeLab.Grading;

/// <summary>
/// How severe a test's failure is: its criterion's severity, or the test's own where exercise.json gives one. A load
/// scenario that kept every check the fakes made (each payment charged once...) but broke a latency or error
/// threshold takes its thresholds' severity; a broken check, or a run with no figures at all, its criterion's.
/// </summary>
public static class FailureSeverity
{
    public static string Of(ExerciseLevel level, TestInfo test, IReadOnlyList<LoadReport> load)
    {
        var criterion = level.Criteria.FirstOrDefault(c => c.Id == test.Criterion)
            ?? throw new InvalidOperationException($"test {test.Id} feeds criterion '{test.Criterion}', which level {level.Id} does not have");
        if (test.Suite != LoadCheck.Suite) return criterion.SeverityOf(test.Method);
        var check = level.Load.FirstOrDefault(l => l.TestId == test.Id);
        var report = load.FirstOrDefault(l => $"load.{l.Scenario}" == test.Id);
        return check?.ThresholdSeverity is { } thresholds && report is { Error: null } && report.Checks.All(c => c.Passed)
            ? thresholds
            : criterion.Severity;
    }
}
