using CodeLab.Exercises;
using CodeLab.Reports;

namespace CodeLab.Grading;

/// <summary>Stage 6: each criterion's weight times the share of its tests that passed.</summary>
public static class Scoring
{
    public static ScoreReport Score(ExerciseLevel level, IReadOnlyList<TestInfo> tests, IReadOnlyDictionary<string, TestOutcome> outcomes)
    {
        var criteria = level.Criteria.Select(criterion =>
        {
            var mine = tests.Where(t => t.Criterion == criterion.Id).ToList();
            var passed = mine.Count(t => outcomes.TryGetValue(t.Id, out var o) && o.Status == TestStatuses.Pass);
            var score = mine.Count == 0 ? 0 : Round(criterion.Weight * passed / mine.Count);
            return new CriterionScore(criterion.Id, criterion.Title, score, criterion.Weight, passed, mine.Count);
        }).ToList();
        return new ScoreReport(Round(criteria.Sum(c => c.Score)), 100, criteria);
    }

    /// <summary>One decimal, rounding half away from zero: the same outcomes always give the same printed score.</summary>
    static double Round(double value) => Math.Round(value, 1, MidpointRounding.AwayFromZero);
}
