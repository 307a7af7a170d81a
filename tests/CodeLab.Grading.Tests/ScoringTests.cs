using CodeLab.Exercises;
using CodeLab.Reports;

namespace CodeLab.Grading.Tests;

public sealed class ScoringTests
{
    static readonly ExerciseLevel Level = new("mid", 60,
        [new("a", "A", 50) { Severity = Severities.Blocker, TestSeverities = new Dictionary<string, string> { ["a3"] = Severities.Minor } },
         new("b", "B", 30) { Severity = Severities.Major },
         new("c", "C", 20) { Severity = Severities.Minor }],
        LevelLimits.Default);

    static TestInfo Test(string id, string criterion) => new(id, "C", id, id, "hidden", "junior", criterion, "F.cs");

    static readonly TestInfo[] Tests = [Test("a1", "a"), Test("a2", "a"), Test("a3", "a"), Test("b1", "b"), Test("c1", "c")];

    static Dictionary<string, TestOutcome> Failing(params string[] failed) =>
        Tests.ToDictionary(t => t.Id, t => failed.Contains(t.Id) ? new TestOutcome(TestStatuses.Fail, "no", 1, null, null) : new TestOutcome(TestStatuses.Pass, null, 1, null, null));

    [Fact]
    public void Each_criterion_scores_its_weight_times_the_share_of_its_tests_that_pass()
    {
        var outcomes = Failing("a3", "b1");
        outcomes["b1"] = new(TestStatuses.Timeout, "slow", 1, null, null);
        var score = Scoring.Score(Level, Tests, outcomes);
        score.Criteria.Select(c => c.Score).ShouldBe([33.3, 0, 20]);
        score.Criteria[0].TestsPassed.ShouldBe(2);
        score.Criteria[0].TestsTotal.ShouldBe(3);
        score.Criteria.Select(c => c.Severity).ShouldBe([Severities.Blocker, Severities.Major, Severities.Minor]);
        score.Points.ShouldBe(53.3);
    }

    [Fact]
    public void All_passing_scores_100_without_a_band()
    {
        var score = Scoring.Score(Level, Tests, Failing());
        score.Total.ShouldBe(100);
        score.Band.ShouldBeNull();
    }

    [Theory]
    [InlineData(new[] { "a1" }, "blocker", 0, 35)]
    [InlineData(new[] { "a3" }, "minor", 70, 95)] // a test's own severity wins over its criterion's
    [InlineData(new[] { "b1" }, "major", 40, 65)]
    [InlineData(new[] { "c1", "a3" }, "minor", 70, 95)]
    [InlineData(new[] { "c1", "b1" }, "major", 40, 65)]
    [InlineData(new[] { "a1", "a2", "b1", "c1" }, "blocker", 0, 35)]
    public void The_worst_failed_severity_picks_the_band_and_the_points_place_the_total_in_it(string[] failed, string severity, double low, double high)
    {
        var score = Scoring.Score(Level, Tests, Failing(failed));
        score.Band.ShouldBe(new ScoreBand(severity, low, high));
        score.Total.ShouldBe(Math.Round(low + (high - low) * score.Points / 100, 1, MidpointRounding.AwayFromZero));
        score.Total.ShouldBeInRange(low, high);
    }

    [Fact]
    public void A_blocker_scores_below_a_major_flaw_that_loses_far_more_points()
    {
        var blocker = Scoring.Score(Level, Tests, Failing("a1"));           // loses 16.7 points
        var major = Scoring.Score(Level, Tests, Failing("b1", "c1", "a3")); // loses 66.7 points
        blocker.Points.ShouldBeGreaterThan(major.Points);
        blocker.Total.ShouldBeLessThan(major.Total);
    }

    [Fact]
    public void A_test_without_an_outcome_never_counts_as_passed()
    {
        var score = Scoring.Score(Level, [Test("a1", "a"), Test("b1", "b"), Test("c1", "c")], new Dictionary<string, TestOutcome>());
        score.Total.ShouldBe(0);
    }

    [Fact]
    public void A_load_run_that_broke_only_its_thresholds_takes_their_severity_and_a_broken_check_the_criterion_s()
    {
        var level = new ExerciseLevel("senior", 60, [new("load", "Load", 100) { Severity = Severities.Blocker }], LevelLimits.Default)
        {
            Load = [new LoadCheck("payments", "load", ["All.Latency.P95Ms < 250"], "load/payments.csx") { ThresholdSeverity = Severities.Major }],
        };
        var test = new TestInfo("load.payments", "load", "payments", "Under load", LoadCheck.Suite, "senior", "load", "load/payments.csx");
        var outcomes = new Dictionary<string, TestOutcome> { [test.Id] = new(TestStatuses.Fail, "slow", 1, null, null) };
        LoadReport Run(bool checkPassed) => new("payments", "load", 10, 10, new(10, 0), new(1, 2, 3, 4), false, [new("All.Latency.P95Ms < 250", 400, false, "p95 400")])
        {
            Checks = [new("payments load: charges per payment", "load", "1", checkPassed ? "1" : "2", checkPassed)],
        };
        Scoring.Score(level, [test], outcomes, [Run(checkPassed: true)]).Band!.Severity.ShouldBe(Severities.Major);
        Scoring.Score(level, [test], outcomes, [Run(checkPassed: false)]).Band!.Severity.ShouldBe(Severities.Blocker);
    }
}
