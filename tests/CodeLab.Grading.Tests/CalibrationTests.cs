using CodeLab.Exercises;
using CodeLab.Reports;
using CodeLab.TestSupport;

namespace CodeLab.Grading.Tests;

/// <summary>What calibration plans, compares and reports, on made-up reports (the real grades are in CodeLab.Calibration.Tests).</summary>
public sealed class CalibrationTests
{
    [Fact]
    public void Two_workers_take_grades_from_the_two_halves_of_a_round_in_turn()
    {
        // Neighbours in catalog order are grades of one level; two at once from one stretch would run in step.
        CalibrationSession.Spread(["a1", "a2", "a3", "b1", "b2", "b3"], 2).ShouldBe(["a1", "b1", "a2", "b2", "a3", "b3"]);
        CalibrationSession.Spread(["a1", "a2", "a3", "b1", "b2"], 2).ShouldBe(["a1", "b1", "a2", "b2", "a3"]);
        CalibrationSession.Spread(["a", "b", "c", "d", "e", "f", "g"], 3).ShouldBe(["a", "d", "g", "b", "e", "c", "f"]);
        CalibrationSession.Spread(["a", "b", "c"], 1).ShouldBe(["a", "b", "c"]);
        CalibrationSession.Spread(["a", "b"], 2).ShouldBe(["a", "b"]);
    }

    static readonly ExerciseCatalog Repository = ExerciseCatalog.Load(RepositoryPaths.Exercises);

    [Fact]
    public void A_calibration_grades_every_target_once_per_repeat_round_by_round_and_each_round_ends_on_its_lowest_level()
    {
        var plan = Calibrator.Plan(Repository, CalibrationOptions.Ci);
        var order = CalibrationSession.Order(plan, 2);

        order.Count.ShouldBe(plan.Sum(t => t.Repeats));
        order.GroupBy(g => (g.Target.Name, g.Attempt)).ShouldAllBe(g => g.Count() == 1);
        order.Select(g => g.Attempt).ShouldBeInOrder();
        foreach (var round in order.GroupBy(g => g.Attempt).Select(r => r.ToList()))
        {
            // Workers take from two stretches in turn, so each stretch must be sorted by level, highest first.
            var ranks = round.Select(g => Levels.Rank(g.Target.Level.Id)).ToList();
            ranks.Where((_, i) => i % 2 == 0).ShouldBeInOrder(SortDirection.Descending);
            ranks.Where((_, i) => i % 2 == 1).ShouldBeInOrder(SortDirection.Descending);
            ranks.TakeLast(2).Min().ShouldBe(0, "a round ends on junior grades (the last of each stretch)");
            ranks[0].ShouldBe(2, "a round starts with senior grades");
        }
    }

    [Fact]
    public void Ci_grades_every_shipped_solution_at_every_level_it_claims_once_and_every_reference_twice()
    {
        var plan = Calibrator.Plan(Repository, CalibrationOptions.Ci);
        var expected = Repository.All.SelectMany(e => e.Parts).SelectMany(p => Solution.ReadAll(p).SelectMany(s => s.Levels.Select(l => $"{p.Id} {l} {s.Name}")));
        plan.Select(t => t.Name).ShouldBe(expected, ignoreOrder: true);
        plan.ShouldAllBe(t => t.Repeats == (t.Solution.Kind == SolutionKind.Reference ? 2 : 1));
        CalibrationOptions.Ci.Parallel.ShouldBe(2);
    }

    [Fact]
    public void The_full_calibration_repeats_references_and_alternatives_five_times_and_flawed_solutions_three()
    {
        var plan = Calibrator.Plan(Repository, CalibrationOptions.Full with { Exercise = "rate-limiter", Level = "senior" });
        plan.ShouldNotBeEmpty();
        plan.ShouldAllBe(t => t.Exercise.Id == "rate-limiter" && t.Level.Id == "senior");
        plan.ShouldAllBe(t => t.Repeats == (t.Solution.Kind == SolutionKind.Flawed ? 3 : 5));
        Calibrator.Plan(Repository, CalibrationOptions.Full.WithRepeat(2)).ShouldAllBe(t => t.Repeats == 2);
    }

    [Theory]
    [InlineData("no-such-exercise", null, 1, 1)]
    [InlineData("rate-limiter", "principal", 1, 1)]
    [InlineData(null, null, 0, 1)]
    [InlineData(null, null, 1, 0)]
    public void Unknown_exercises_and_levels_and_counts_below_one_are_bad_input(string? exercise, string? level, int parallel, int repeat)
    {
        var options = CalibrationOptions.Full.WithRepeat(repeat) with { Exercise = exercise, Level = level, Parallel = parallel };
        Should.Throw<BadInputException>(() => Calibrator.Plan(Repository, options));
    }

    [Fact]
    public void Repeats_that_differ_in_a_criterion_or_a_test_status_are_reported_with_the_grades_that_differ()
    {
        var target = Target(SolutionKind.Reference);
        var row = new CalibrationRow(target,
        [
            Grade(target, 1, Report(100, ("a", TestStatuses.Pass))),
            Grade(target, 2, Report(100, ("a", TestStatuses.Pass))),
            Grade(target, 3, Report(80, ("a", TestStatuses.Fail))),
        ]);
        row.AsExpected.ShouldBeFalse();
        row.Agrees.ShouldBeFalse();
        row.Verdict.ShouldBe("NOT AS EXPECTED, DIFFERS");
        var problems = row.Problems().ToList();
        problems.ShouldContain(p => p.Contains("grade 3 of 3") && p.Contains("expected 100"));
        problems.ShouldContain(p => p.Contains("repeats differ") && p.Contains("grades 1, 2:") && p.Contains("grade 3:") && p.Contains("a:fail"));
    }

    [Fact]
    public void Load_thresholds_and_checks_with_a_bound_are_figures_with_their_spread_and_headroom()
    {
        var target = Target(SolutionKind.Reference);
        GradeReport WithFigures(double p99, string lagNote, string fastest) => Report(100) with
        {
            Load = [new LoadReport("payments", "load", 40, 40, new LoadRequests(400, 0), new LoadLatency(20, 30, p99, 90), false,
                [new LoadThreshold("All.Latency.P99Ms < 250", p99, true, ""), new LoadThreshold("Fail.Request.Percent < 1", 0, true, "")])],
            Notes = lagNote == "" ? [] : [$"Load scenario payments: run 2 times: the load generator fell behind its schedule in the earlier run(s) ({lagNote}), which a busy machine causes; the last run is the one scored."],
            Checks = [new CheckReport("90th percentile of answer times while Redis was stopped (ms)", "outage", "< 1000", fastest, true),
                      new CheckReport("answers other than 200", "outage", "0", "0", true)],
        };
        var row = new CalibrationRow(target, [Grade(target, 1, WithFigures(40, "", "200")), Grade(target, 2, WithFigures(100, "lag p99 62.5 ms", "250"))]);

        var figures = Calibration.Figures([row]);

        var p99 = figures.Single(f => f.Name == "load payments: All.Latency.P99Ms");
        p99.Threshold.ShouldBe("< 250");
        p99.Values.ShouldBe([40, 100]);
        Calibration.Headroom(p99).ShouldBe("2.5x");
        figures.Single(f => f.Name.Contains("runs repeated")).Values.ShouldBe([0, 1]);
        figures.Single(f => f.Name.Contains("generator lag")).Values.ShouldBe([62.5]);
        var outage = figures.Single(f => f.Name.StartsWith("90th percentile"));
        outage.Values.ShouldBe([200, 250]);
        Calibration.Headroom(outage).ShouldBe("4.0x");
        figures.ShouldNotContain(f => f.Name == "answers other than 200");
        Calibration.Headroom(outage with { Values = [1200, 1500] }).ShouldBe("outside (1.2x)");
        Calibration.Headroom(outage with { Values = [996, 1442] }).ShouldBe("crosses");
        Calibration.Headroom(outage with { Values = [1000] }).ShouldBe("outside (1.0x)");
        Calibration.Headroom(outage with { Threshold = "<= 1000", Values = [1000] }).ShouldBe("1.0x");
        Calibration.Headroom(outage with { Threshold = ">= 8", Values = [24, 16] }).ShouldBe("2.0x");
        Calibration.Headroom(outage with { Threshold = ">= 8", Values = [6, 4] }).ShouldBe("outside (1.3x)");
        Calibration.Headroom(outage with { Threshold = ">= 8", Values = [1, 12] }).ShouldBe("crosses");
        Calibration.Headroom(outage with { Threshold = ">= 8", Values = [0] }).ShouldBe("outside");

        var markdown = CalibrationMarkdown.Render(
            new CalibrationRun([row], figures, [], CalibrationOptions.Ci, DateTimeOffset.UnixEpoch, TimeSpan.FromMinutes(2), new MachineSummary("m", 2, 23.5, "1.0 1.0 1.0")),
            "./codelab calibrate");
        markdown.ShouldContain("| rate-limiter | mid | reference | reference | 100 | 100 100 | ok |");
        markdown.ShouldContain("2 CPUs (nproc), 23.5 GiB memory");
        markdown.ShouldContain("| rate-limiter | mid | reference | load payments: All.Latency.P99Ms | < 250 | 2 | 40 | 70 | 100 | 2.5x |");
    }

    static readonly Solution NoTtl = new("no-ttl", SolutionKind.Flawed, "/nowhere", "", "b", ["mid"]) { AlsoLoses = ["c"] };

    static GradeReport Scored(params (string Criterion, double Score, string Status)[] lines) => Report(0) with
    {
        Score = new ScoreReport(lines.Sum(l => l.Score), 300, [.. lines.Select(l => new CriterionScore(l.Criterion, l.Criterion, l.Score, 100, l.Score == 100 ? 1 : 0, 1))]),
        Tests = [.. lines.Select(l => new TestReport { Name = $"{l.Criterion} test", Description = "", Suite = "hidden", Criterion = l.Criterion, Status = l.Status })],
    };

    [Fact]
    public void A_flaw_is_caught_when_a_test_of_its_criterion_fails_and_only_listed_criteria_lose_points()
    {
        Calibration.Check(NoTtl, Scored(("a", 100, TestStatuses.Pass), ("b", 0, TestStatuses.Fail), ("c", 100, TestStatuses.Pass))).ShouldBeNull();
        Calibration.Check(NoTtl, Scored(("a", 100, TestStatuses.Pass), ("b", 0, TestStatuses.Fail), ("c", 0, TestStatuses.Fail))).ShouldBeNull();
    }

    [Fact]
    public void A_flaw_whose_criterion_kept_full_marks_was_not_caught()
    {
        Calibration.Check(NoTtl, Scored(("a", 100, TestStatuses.Pass), ("b", 100, TestStatuses.Pass))).ShouldNotBeNull().ShouldContain("not caught");
    }

    [Theory]
    [InlineData(TestStatuses.Timeout)]
    [InlineData(TestStatuses.Error)]
    [InlineData(TestStatuses.NotRun)]
    public void Points_lost_only_through_tests_that_did_not_finish_are_not_a_catch(string status)
    {
        Calibration.Check(NoTtl, Scored(("a", 100, TestStatuses.Pass), ("b", 0, status))).ShouldNotBeNull().ShouldContain("did not finish");
    }

    [Fact]
    public void A_flawed_solution_that_also_loses_on_a_criterion_its_flaw_json_does_not_list_is_not_as_expected()
    {
        var problem = Calibration.Check(NoTtl, Scored(("a", 0, TestStatuses.Fail), ("b", 0, TestStatuses.Fail)));
        problem.ShouldNotBeNull().ShouldContain("'a' (0/100: a test)");
        problem.ShouldContain("does not list");
    }

    static CalibrationTarget Target(SolutionKind kind)
    {
        var exercise = Repository.Find("rate-limiter");
        var level = new ExerciseLevel("mid", 60, [new("a", "A", 100)], LevelLimits.Default);
        return new CalibrationTarget(exercise, level, new Solution("reference", kind, "/nowhere", "", null, ["mid"]), 3);
    }

    static CalibrationGrade Grade(CalibrationTarget target, int attempt, GradeReport report) =>
        new(target, attempt, report, 10, Calibration.Check(target.Solution, report));

    static GradeReport Report(double score, params (string Name, string Status)[] tests) => new()
    {
        Exercise = "demo",
        Level = "mid",
        Verdict = Verdicts.Graded,
        Summary = "",
        Score = new ScoreReport(score, 100, [new CriterionScore("a", "A", score, 100, 1, 1)]),
        Compilation = new CompilationReport(true, 1, []),
        Policy = new PolicyReport([]),
        Tests = tests.Select(t => new TestReport { Name = t.Name, Description = t.Name, Suite = "hidden", Criterion = "a", Status = t.Status }).ToList(),
        Timings = new TimingsReport(1, 1, 1),
        Environment = new EnvironmentReport("0", "image", "10"),
    };
}
