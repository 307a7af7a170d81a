using CodeLab.Reports;
using CodeLab.Sandbox;

namespace CodeLab.Grading.Tests;

/// <summary>
/// A service exercise end to end with the real engine: the candidate's ASP.NET Core service in its own container,
/// a real Redis beside it on a private network, the hidden HTTP tests and the payment provider fake in the judge.
/// </summary>
[Trait("Category", "Docker")]
public sealed class ServiceDockerTests
{
    static string Payments(string solution) => Path.Combine(GradingFixture.Fixtures, "exercises", "payments", "solutions", solution);

    [Fact]
    public async Task The_reference_service_scores_100_and_nothing_is_left_behind()
    {
        var report = await GradingFixture.GradeAsync(Payments("reference"), "junior", "payments");

        report.Verdict.ShouldBe(Verdicts.Graded, report.Summary);
        report.Tests.ShouldAllBe(t => t.Status == TestStatuses.Pass, string.Join("; ", report.Tests.Select(t => $"{t.Name}: {t.Status} {t.Message}")) + " | " + string.Join(" | ", report.Notes));
        report.Score.Total.ShouldBe(100);
        (await TestSupport.DockerSandbox.LeftBehindAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_service_that_charges_every_replay_loses_the_idempotency_points()
    {
        var report = await GradingFixture.GradeAsync(Payments("flawed/no-idempotency"), "junior", "payments");

        report.Verdict.ShouldBe(Verdicts.Graded, report.Summary);
        report.Score.Criteria.Single(c => c.Id == "validation").Score.ShouldBe(30);
        var replay = GradingFixture.Test(report, "Replay_returns_stored_answer");
        replay.Status.ShouldBe(TestStatuses.Fail);
        replay.Message!.ShouldContain("a replay must return the same payment");
        (await GradingFixture.ContainersLeftBehindAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_service_that_never_starts_is_reported_with_its_output()
    {
        var folder = Directory.CreateTempSubdirectory("codelab-crashing-service-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "Program.cs"),
                "Console.WriteLine(\"starting up\");\nthrow new InvalidOperationException(\"no configuration for the payment provider\");\n",
                TestContext.Current.CancellationToken);

            var report = await GradingFixture.GradeAsync(folder, "junior", "payments");

            report.Verdict.ShouldBe(Verdicts.Graded);
            report.Score.Total.ShouldBe(0);
            report.Tests.ShouldAllBe(t => t.Status == TestStatuses.Error);
            report.Tests[0].Message!.ShouldContain("did not become ready");
            // The replica's whole log is kept for the file beside the report; the report names the unhandled exception.
            var log = report.ServiceLogs.ShouldHaveSingleItem();
            log.Text.ShouldContain("no configuration for the payment provider");
            log.Unhandled.ShouldBeGreaterThan(0, string.Join("; ", log.Entries.Select(e => $"{e.Level}: {e.Message}")));
            (await GradingFixture.ContainersLeftBehindAsync()).ShouldBeEmpty();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_load_run_the_generator_cannot_keep_is_retried_once_then_an_error_never_a_lower_score()
    {
        // The fixture's senior level adds a scenario no generator can keep (load/flood.csx): the generator falls behind
        // in every run whatever the service does, and its threshold cannot hold.
        var report = await GradingFixture.GradeAsync(Payments("reference"), "senior", "payments");

        report.Verdict.ShouldBe(Verdicts.Error, report.Summary + " || " + string.Join(" | ", report.Tests.Where(t => t.Criterion == "load").Select(t => t.Message)) + " || " + string.Join(" | ", report.Notes));
        report.Summary.ShouldContain("Inconclusive twice");
        report.Summary.ShouldContain("no points were lost");
        report.Summary.ShouldContain("fell behind its schedule");
        var load = report.Load.Single(l => l.Scenario == "flood");
        load.GeneratorBound.ShouldBeTrue();
        // The rest of the grade ran and passed in both attempts; nothing of it was scored.
        report.Tests.Where(t => t.Criterion != "load").ShouldAllBe(t => t.Status == TestStatuses.Pass);
        report.Score.Total.ShouldBe(0);
        (await GradingFixture.ContainersLeftBehindAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_load_run_waits_for_the_load_slot_another_grade_holds_and_is_scored_as_usual()
    {
        // This test plays the other grade: it holds the slot until the grade's load run is seen waiting for it.
        var ct = TestContext.Current.CancellationToken;
        var held = await LoadSlot.AcquireAsync(ct);
        Task<GradeReport> grading;
        try
        {
            grading = GradingFixture.GradeAsync(Payments("reference"), "mid", "payments");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (LoadSlot.Waiting == 0 && !grading.IsCompleted && clock.Elapsed < TimeSpan.FromMinutes(3)) await Task.Delay(100, ct);
            if (grading.IsCompleted) (await grading).Summary.ShouldBe("(a grade that ran its load run while another grade held the load slot)");
            LoadSlot.Waiting.ShouldBe(1, "the grade's load run never asked for the load slot");
            await Task.Delay(1500, ct);
            grading.IsCompleted.ShouldBeFalse("the grade ended while its load run had not had the slot");
        }
        finally
        {
            held.Dispose();
        }
        var report = await grading;

        report.Verdict.ShouldBe(Verdicts.Graded, report.Summary + " || " + string.Join(" | ", report.Notes));
        report.Score.Total.ShouldBe(100);
        report.Load.Single(l => l.Scenario == "trickle").Thresholds.ShouldAllBe(t => t.Passed);
        report.Notes.ShouldContain(n => n.StartsWith("A load run waited ", StringComparison.Ordinal));
        (await GradingFixture.ContainersLeftBehindAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_world_command_the_grader_cannot_carry_out_is_retried_once_then_an_error_never_a_lower_score()
    {
        // The fixture's one test asks the grader to restart replica 9 of 1: the grader cannot, and says so.
        var report = await GradingFixture.GradeAsync(Path.Combine(GradingFixture.Fixtures, "exercises", "world", "solutions", "reference"), "junior", "world");

        report.Verdict.ShouldBe(Verdicts.Error, report.Summary + " || " + string.Join(" | ", report.Tests.Select(t => $"{t.Name}: {t.Status} {t.Message}")));
        report.Summary.ShouldContain("Inconclusive twice");
        report.Summary.ShouldContain("no points were lost");
        report.Tests.Single(t => t.Criterion == "world").Message!.ShouldContain("could not act on the grade's world");
        report.Score.Total.ShouldBe(0);
        (await GradingFixture.ContainersLeftBehindAsync()).ShouldBeEmpty();
    }
}
