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
        Copy(Path.Combine(GradingFixture.Fixtures, "exercises", "counter"), Path.Combine(root, "exercises", "counter"));
        var catalog = ExerciseCatalog.Load(Path.Combine(root, "exercises"));
        using var context = await GradingContext.CreateAsync(new CodeLabHome(RepositoryPaths.Root), _ => { }, ct, catalog);
        var handed = new List<DemoRow>();
        var output = Path.Combine(root, "out");

        var result = await new DemoRunner(context).RunAsync(output, 2, handed.Add, _ => { }, ct);

        var planned = Calibrator.Plan(catalog, CalibrationOptions.Full.WithRepeat(1)).Select(t => t.Name).Order().ToList();
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

    static void Copy(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
