using CodeLab.Exercises;
using CodeLab.Reports;

namespace CodeLab.Grading;

/// <summary>
/// Stage 6. Each criterion earns its weight times the share of its tests that passed; these points add up to at most
/// 100. A submission that passes everything scores 100. Otherwise the worst severity among its failed tests picks a
/// band (blocker 0-35, major 40-65, minor 70-95) and the total is the points placed in it proportionally
/// (low + width x points / 100). The bands do not overlap, so whatever else a submission does, a blocker scores below
/// any major flaw and a major flaw below any minor one: the score follows the damage, not how many tests a criterion has.
/// No points is 0 in any band; every level has a blocker criterion (validated), so a submission that fails everything
/// is in the blocker band anyway.
/// </summary>
public static class Scoring
{
    /// <summary>The band of each severity; gaps between them keep the order strict after rounding.</summary>
    public static readonly IReadOnlyDictionary<string, (double Low, double High)> Bands = new Dictionary<string, (double, double)>
    {
        [Severities.Blocker] = (0, 35),
        [Severities.Major] = (40, 65),
        [Severities.Minor] = (70, 95),
    };

    public static ScoreReport Score(ExerciseLevel level, IReadOnlyList<TestInfo> tests, IReadOnlyDictionary<string, TestOutcome> outcomes, IReadOnlyList<LoadReport>? load = null)
    {
        bool Passed(TestInfo t) => outcomes.TryGetValue(t.Id, out var o) && o.Status == TestStatuses.Pass;
        var criteria = level.Criteria.Select(criterion =>
        {
            var mine = tests.Where(t => t.Criterion == criterion.Id).ToList();
            var passed = mine.Count(Passed);
            var score = mine.Count == 0 ? 0 : Round(criterion.Weight * passed / mine.Count);
            return new CriterionScore(criterion.Id, criterion.Title, score, criterion.Weight, passed, mine.Count) { Severity = criterion.Severity };
        }).ToList();
        var points = Round(criteria.Sum(c => c.Score));
        var worst = Severities.Worst(tests.Where(t => !Passed(t)).Select(t => FailureSeverity.Of(level, t, load ?? [])));
        if (worst is null) return new ScoreReport(points, 100, criteria) { Points = points };
        var (low, high) = Bands[worst];
        // Nothing earned is nothing, whatever failed (a compile error, a service that never started).
        var total = points == 0 ? 0 : Round(low + (high - low) * points / 100);
        return new ScoreReport(total, 100, criteria) { Points = points, Band = new ScoreBand(worst, low, high) };
    }

    /// <summary>One decimal, rounding half away from zero: the same outcomes always give the same printed score.</summary>
    static double Round(double value) => Math.Round(value, 1, MidpointRounding.AwayFromZero);
}
