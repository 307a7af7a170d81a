using CodeLab.Exercises;
using CodeLab.Reports;

namespace CodeLab.Grading.Tests;

public sealed class ScoringTests
{
    static readonly ExerciseLevel Level = new("mid", 60, [new("a", "A", 50), new("b", "B", 30), new("c", "C", 20)], LevelLimits.Default);

    static TestInfo Test(string id, string criterion) => new(id, "C", id, id, "hidden", "junior", criterion, "F.cs");

    [Fact]
    public void Each_criterion_scores_its_weight_times_the_share_of_its_tests_that_pass()
    {
        TestInfo[] tests = [Test("a1", "a"), Test("a2", "a"), Test("a3", "a"), Test("b1", "b"), Test("c1", "c")];
        var outcomes = new Dictionary<string, TestOutcome>
        {
            ["a1"] = new(TestStatuses.Pass, null, 1, null, null),
            ["a2"] = new(TestStatuses.Pass, null, 1, null, null),
            ["a3"] = new(TestStatuses.Fail, "no", 1, null, null),
            ["b1"] = new(TestStatuses.Timeout, "slow", 1, null, null),
            ["c1"] = new(TestStatuses.Pass, null, 1, null, null),
        };
        var score = Scoring.Score(Level, tests, outcomes);
        score.Criteria.Select(c => c.Score).ShouldBe([33.3, 0, 20]);
        score.Criteria[0].TestsPassed.ShouldBe(2);
        score.Criteria[0].TestsTotal.ShouldBe(3);
        score.Total.ShouldBe(53.3);
    }

    [Fact]
    public void A_test_without_an_outcome_never_counts_as_passed()
    {
        var score = Scoring.Score(Level, [Test("a1", "a"), Test("b1", "b"), Test("c1", "c")], new Dictionary<string, TestOutcome>());
        score.Total.ShouldBe(0);
    }
}
