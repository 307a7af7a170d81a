using CodeLab.Reports;

namespace CodeLab.Grading.Tests;

/// <summary>The whole pipeline on the fixture exercise, with the real engine: the grade means what it says.</summary>
[Trait("Category", "Docker")]
public sealed class PipelineDockerTests
{
    [Theory]
    [InlineData("junior", 4)]
    [InlineData("mid", 5)]
    public async Task The_reference_scores_100_with_every_known_test_reported(string level, int tests)
    {
        var report = await GradingFixture.GradeAsync(GradingFixture.Counter("reference"), level);
        report.Verdict.ShouldBe(Verdicts.Graded);
        report.Score.Total.ShouldBe(100);
        report.Tests.Count.ShouldBe(tests);
        report.Tests.ShouldAllBe(t => t.Status == TestStatuses.Pass);
        report.Sandbox!.Runs.ShouldBe(1);
        (await GradingFixture.ContainersLeftBehindAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_racy_counter_loses_exactly_the_concurrency_points()
    {
        var report = await GradingFixture.GradeAsync(GradingFixture.Counter("flawed/racy"), "junior");
        report.Verdict.ShouldBe(Verdicts.Graded);
        var concurrency = report.Score.Criteria.Single(c => c.Id == "concurrency");
        concurrency.Score.ShouldBe(0);
        report.Score.Criteria.Single(c => c.Id == "basics").Score.ShouldBe(50);
        var failed = GradingFixture.Test(report, "Parallel_increments_are_not_lost");
        failed.Status.ShouldBe(TestStatuses.Fail);
        failed.Message!.ShouldContain("were lost");
    }

    [Fact]
    public async Task The_same_submission_gets_the_same_grade_every_time()
    {
        var first = await GradingFixture.GradeAsync(GradingFixture.Counter("flawed/racy"), "mid");
        var second = await GradingFixture.GradeAsync(GradingFixture.Counter("flawed/racy"), "mid");
        second.Score.Total.ShouldBe(first.Score.Total);
        second.Score.Criteria.ShouldBe(first.Score.Criteria);
        second.Tests.Select(t => (t.Name, t.Status)).ShouldBe(first.Tests.Select(t => (t.Name, t.Status)));
        second.Submission!.Sha256.ShouldBe(first.Submission!.Sha256);
    }

    [Fact]
    public async Task Tests_that_cannot_compile_against_the_code_are_set_aside_and_the_rest_still_score()
    {
        // A junior-level answer (no Reset) graded at mid: the mid test file cannot compile, the junior ones run.
        var folder = Directory.CreateTempSubdirectory("codelab-partial").FullName;
        Directory.CreateDirectory(Path.Combine(folder, "src"));
        File.WriteAllText(Path.Combine(folder, "src", "Counter.cs"),
            "namespace Counting;\npublic sealed class Counter { int v; public int Value => v; public int Increment() => Interlocked.Increment(ref v); }");
        var report = await GradingFixture.GradeAsync(folder, "mid");
        Directory.Delete(folder, recursive: true);

        report.Verdict.ShouldBe(Verdicts.Graded);
        // 70 of 100 points earned; the failed mid test is a major flaw, so the total sits in the major band (40-65).
        report.Score.Points.ShouldBe(70);
        report.Score.Band.ShouldNotBeNull().Severity.ShouldBe("major");
        report.Score.Total.ShouldBe(57.5);
        var reset = GradingFixture.Test(report, "Reset_goes_back_to_zero");
        reset.Status.ShouldBe(TestStatuses.Error);
        reset.Message!.ShouldContain("'Counter' does not contain a definition for 'Reset'");
        report.Compilation.Diagnostics.ShouldContain(d => d.File == "(hidden tests)" && d.Line == 0);
    }

    [Fact]
    public async Task Hidden_test_code_never_appears_in_a_report()
    {
        var report = await GradingFixture.GradeAsync(GradingFixture.Counter("flawed/racy"), "mid");
        var json = JsonReport.Render(report);
        var markdown = MarkdownReport.Render(report);
        // Lines of the hidden test's body, and its source path.
        foreach (var secret in new[] { "perThread", "SignalAndWait", "CounterHiddenTests.cs", "Barrier(" })
        {
            json.ShouldNotContain(secret);
            markdown.ShouldNotContain(secret);
        }
        // What a reviewer needs is there: the description and the failure message.
        markdown.ShouldContain("Increments from parallel threads are never lost");
        markdown.ShouldContain("were lost");
    }

    [Fact]
    public async Task A_compile_error_is_graded_zero_with_the_compilers_message_and_every_test_listed()
    {
        var report = await GradingFixture.GradeAsync(GradingFixture.Hostile("syntax-error"), "mid");
        report.Verdict.ShouldBe(Verdicts.CompileError);
        report.Score.Total.ShouldBe(0);
        report.Compilation.Diagnostics.ShouldContain(d => d.Severity == "error" && d.File == "src/Counter.cs" && d.Line == 6);
        report.Tests.Count.ShouldBe(5);
        report.Tests.ShouldAllBe(t => t.Status == TestStatuses.NotRun);
        report.Sandbox.ShouldBeNull();
    }

    [Fact]
    public async Task A_racy_counter_is_caught_on_every_run()
    {
        // Determinism of the concurrency check itself: a lucky schedule must never let the race through.
        for (var run = 0; run < 5; run++)
        {
            var report = await GradingFixture.GradeAsync(GradingFixture.Counter("flawed/racy"), "junior");
            var parallel = GradingFixture.Test(report, "Parallel_increments_are_not_lost");
            report.Score.Criteria.Single(c => c.Id == "concurrency").Score.ShouldBe(0, $"run {run + 1}: {parallel.Status} in {parallel.DurationMs} ms");
        }
    }
}
