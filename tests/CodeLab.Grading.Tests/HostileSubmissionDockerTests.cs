using CodeLab.Reports;

namespace CodeLab.Grading.Tests;

/// <summary>
/// Hostile submissions (DESIGN.md's sandbox rules): each ends below 100, refused by the policy where the API is
/// forbidden and otherwise contained by the sandbox; the grader returns and leaves no container. (That a run is killed
/// at its wall clock is SandboxContainerDockerTests' to prove; here the bound is only a guard against a hang, wide
/// enough for a machine busy with a calibration beside this suite.) Payloads are bounded, so a broken sandbox could
/// not take the machine down either.
/// </summary>
[Trait("Category", "Docker")]
public sealed class HostileSubmissionDockerTests
{
    /// <summary>Five times the level's run time-out (60 s): a grade not back by then is hung, not slow.</summary>
    static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(5);

    static async Task<GradeReport> Grade(string name, string level = "mid")
    {
        var report = await GradingFixture.GradeAsync(GradingFixture.Hostile(name), level).WaitAsync(HangGuard, TestContext.Current.CancellationToken);
        report.Score.Total.ShouldBeLessThan(100);
        report.Tests.Count.ShouldBe(level == "mid" ? 5 : 4, "every known test appears in every report");
        (await GradingFixture.ContainersLeftBehindAsync()).ShouldBeEmpty();
        return report;
    }

    [Theory]
    [InlineData("spawn-process", "process", 9)]
    [InlineData("reflection", "reflection", 11)]
    [InlineData("pinvoke", "interop", 11)]
    [InlineData("unsafe-code", "unsafe", 9)]
    [InlineData("exit-early", "process-exit", 5)]
    [InlineData("disk-fill", "file-system", 10)]
    public async Task Forbidden_api_is_rejected_before_anything_runs(string name, string rule, int line)
    {
        var report = await Grade(name);
        report.Verdict.ShouldBe(Verdicts.Rejected);
        report.Score.Total.ShouldBe(0);
        report.Policy.Violations.ShouldContain(v => v.Rule == rule && v.File == "src/Counter.cs" && v.Line == line,
            string.Join("; ", report.Policy.Violations.Select(v => $"{v.Rule}@{v.File}:{v.Line}")));
        report.Sandbox.ShouldBeNull("nothing runs when the policy refuses the code");
        report.Tests.ShouldAllBe(t => t.Status == TestStatuses.NotRun);
    }

    [Fact]
    public async Task Output_imitating_passing_results_passes_nothing()
    {
        var report = await Grade("fake-pass-output");
        report.Verdict.ShouldBe(Verdicts.Graded);
        GradingFixture.Test(report, "Starts_at_zero").Status.ShouldBe(TestStatuses.Fail);
        GradingFixture.Test(report, "Value_counts_increments").Status.ShouldBe(TestStatuses.Fail);
        GradingFixture.Test(report, "Reset_goes_back_to_zero").Status.ShouldBe(TestStatuses.Fail);
        report.Score.Criteria.Single(c => c.Id == "basics").Score.ShouldBe(0);
    }

    [Fact]
    public async Task An_endless_loop_times_out_its_own_test_and_the_others_still_count()
    {
        var report = await Grade("endless-loop");
        report.Verdict.ShouldBe(Verdicts.Graded);
        var hung = GradingFixture.Test(report, "Reset_goes_back_to_zero");
        hung.Status.ShouldBe(TestStatuses.Timeout);
        hung.Message!.ShouldContain("within 3 s");
        report.Tests.Where(t => t != hung).ShouldAllBe(t => t.Status == TestStatuses.Pass);
        report.Score.Points.ShouldBe(70);
        report.Score.Total.ShouldBe(57.5, "70 points in the major band (40-65): a time-out of a major test");
    }

    [Theory]
    [InlineData("stack-overflow", "stack overflow")]
    [InlineData("background-crash", "unhandled exception")]
    public async Task A_crash_is_charged_to_its_test_and_the_others_still_count(string name, string why)
    {
        var report = await Grade(name);
        report.Verdict.ShouldBe(Verdicts.Graded);
        var crashed = GradingFixture.Test(report, "Reset_goes_back_to_zero");
        crashed.Status.ShouldBe(TestStatuses.Error);
        crashed.Message!.ShouldContain(why);
        report.Tests.Where(t => t != crashed).ShouldAllBe(t => t.Status == TestStatuses.Pass);
    }

    [Theory]
    [InlineData("thread-bomb")]
    [InlineData("memory-bomb")]
    public async Task Resource_bombs_are_contained_and_charged_to_their_test(string name)
    {
        var report = await Grade(name);
        report.Verdict.ShouldBe(Verdicts.Graded);
        var bomb = GradingFixture.Test(report, "Reset_goes_back_to_zero");
        bomb.Status.ShouldNotBe(TestStatuses.Pass);
        report.Score.Criteria.Single(c => c.Id == "reset").Score.ShouldBe(0);
        // Contained means the bomb costs only its own test: every other test still ran, and passed.
        report.Tests.Where(t => t != bomb).ShouldAllBe(t => t.Status == TestStatuses.Pass,
            string.Join("; ", report.Tests.Select(t => $"{t.Name}: {t.Status} {t.Message}")));
    }

    [Fact]
    public async Task An_output_flood_is_capped_and_does_not_change_the_grade()
    {
        var report = await GradingFixture.GradeAsync(GradingFixture.Hostile("output-flood"), "mid");
        report.Verdict.ShouldBe(Verdicts.Graded);
        report.Score.Total.ShouldBe(100, "the flood is noise, the behaviour is right");
        var flooded = GradingFixture.Test(report, "Reset_goes_back_to_zero");
        flooded.Output!.Length.ShouldBeLessThan(10_000);
        flooded.Output.ShouldContain("characters of output dropped");
        (await GradingFixture.ContainersLeftBehindAsync()).ShouldBeEmpty();
    }
}
