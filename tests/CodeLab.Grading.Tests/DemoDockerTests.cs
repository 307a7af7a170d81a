using CodeLab.Exercises;
using CodeLab.TestSupport;

namespace CodeLab.Grading.Tests;

/// <summary>
/// `codelab demo` over a catalogue of one small exercise (the fixture counter: its reference at every level, a racy
/// solution at two): every planned grade once, two at a time, a row handed over as each grade ends, each report
/// written under &lt;out&gt;/&lt;exercise&gt;/&lt;level&gt;/&lt;solution&gt;/, nothing left in the engine.
/// </summary>
[Trait("Category", "Docker")]
public sealed class DemoDockerTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("codelab-demo-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task The_demo_grades_every_planned_solution_once_two_at_a_time_and_writes_each_report()
    {
        var ct = TestContext.Current.CancellationToken;
        using var context = await CounterContextAsync(ct);
        var handed = new List<DemoRow>();
        var output = Path.Combine(root, "out");

        var result = await new DemoRunner(context).RunAsync(output, 2, handed.Add, _ => { }, ct);

        var planned = Calibrator.Plan(context.Catalog, CalibrationOptions.Full.WithRepeat(1)).Select(t => t.Name).Order().ToList();
        planned.Count.ShouldBeGreaterThan(2);
        result.Rows.Select(r => $"{r.Exercise} {r.Level} {r.Solution}").Order().ShouldBe(planned);
        handed.ShouldBe(result.Rows);
        result.Rows.ShouldAllBe(r => r.Problem == null);
        result.Rows.Where(r => r.Solution == "reference").ShouldAllBe(r => r.Score == 100);
        result.Rows.Where(r => r.Solution == "racy").ShouldAllBe(r => r.Score < 100);
        foreach (var row in result.Rows)
            File.Exists(Path.Combine(output, row.Exercise, row.Level, row.Solution, "report.json")).ShouldBeTrue($"no report for {row.Exercise} {row.Level} {row.Solution}");
        result.Leftovers.ShouldBeEmpty();
        result.Ok.ShouldBeTrue();
    }

    [Fact]
    public async Task A_demo_cancelled_after_its_first_row_stops_without_a_row_for_the_grades_it_cut_short()
    {
        using var context = await CounterContextAsync(TestContext.Current.CancellationToken);

        // Ctrl+C as soon as the first row is in: the grade beside it is cut short, and nothing else starts.
        await CancelAfterFirstAsync<DemoRow>((onRow, token) => new DemoRunner(context).RunAsync(Path.Combine(root, "out"), 2, onRow, _ => { }, token),
            row => row.Problem);
    }

    [Fact]
    public async Task A_calibration_cancelled_after_its_first_grade_starts_no_other_and_hands_over_none()
    {
        using var context = await CounterContextAsync(TestContext.Current.CancellationToken);

        // One grade at a time: the first grade ends, Ctrl+C, and the queue still holds the rest, which must not start.
        await CancelAfterFirstAsync<CalibrationGrade>((onGrade, token) =>
                new Calibrator(context).Start(CalibrationOptions.Full.WithRepeat(1), (grade, _, _) => onGrade(grade), _ => { }, token).Completion,
            grade => grade.Problem);
    }

    /// <summary>
    /// Starts a run that hands over each thing it finished and cancels it as the first arrives (Ctrl+C): the run ends
    /// cancelled, having handed over that one alone, as graded (no problem), and nothing is left in the engine.
    /// </summary>
    static async Task CancelAfterFirstAsync<T>(Func<Action<T>, CancellationToken, Task> start, Func<T, string?> problem)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var handed = new List<T>();

        var run = start(item => { handed.Add(item); cancel.Cancel(); }, cancel.Token);

        await Should.ThrowAsync<OperationCanceledException>(() => run);
        handed.Count.ShouldBe(1);
        problem(handed[0]).ShouldBeNull();
        (await GradingFixture.ContainersLeftBehindAsync()).ShouldBeEmpty();
    }

    /// <summary>A grading context whose catalogue is the fixture counter exercise alone.</summary>
    async Task<GradingContext> CounterContextAsync(CancellationToken ct)
    {
        GradingFixture.CopyTree(Path.Combine(GradingFixture.Fixtures, "exercises", "counter"), Path.Combine(root, "exercises", "counter"));
        return await GradingContext.CreateAsync(new CodeLabHome(RepositoryPaths.Root), _ => { }, ct, ExerciseCatalog.Load(Path.Combine(root, "exercises")));
    }
}
