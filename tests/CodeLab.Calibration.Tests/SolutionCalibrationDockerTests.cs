using CodeLab.Grading;
using CodeLab.TestSupport;

namespace CodeLab.Calibration.Tests;

/// <summary>
/// Every shipped solution graded as CI's calibration does (<see cref="CalibrationOptions.Ci"/>: once, references
/// twice, two grades at a time as a grading server runs them): each scores what its folder says, a reference agrees
/// with itself, and nothing is left in the engine. The table goes to the test output and artifacts/calibration/table.md.
/// </summary>
[Trait("Category", "Docker")]
public sealed class SolutionCalibrationDockerTests(ITestOutputHelper output)
{
    public static TheoryData<string, string, string> Grades() => Catalog.Grades();

    public static TheoryData<string, string> Levels() => Catalog.Levels();

    [Theory]
    [MemberData(nameof(Grades))]
    public async Task Every_shipped_solution_scores_what_its_folder_says(string exercise, string level, string solution)
    {
        var row = await Catalog.RowAsync(exercise, level, solution);
        foreach (var grade in row.Grades)
            output.WriteLine($"{row.Target.Name} ({grade.Attempt}/{row.Grades.Count}): {grade.Report?.Score.Total.ToString() ?? "-"} in {grade.Seconds} s ({grade.Report?.Summary ?? grade.Problem})");
        row.Grades.Select(g => g.Problem).OfType<string>().ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public async Task A_reference_graded_twice_gets_the_same_grade(string exercise, string level)
    {
        // The same score and the same status for every test; `./codelab calibrate` repeats every solution 5 or 3 times.
        var row = await Catalog.RowAsync(exercise, level, "reference");
        row.Grades.Count.ShouldBe(2);
        row.Agrees.ShouldBeTrue(string.Join("\n", row.Grades.Select(g => $"grade {g.Attempt}: {g.Fingerprint}")));
    }

    [Fact]
    public async Task The_grades_leave_no_container_or_network_behind_and_the_table_is_written()
    {
        // Whatever the grades did (restarts, Redis stopped and started, time-outs), once they are all done nothing
        // this process created is left. Two grades run at a time, so the engine is checked when the last one is done.
        var run = await Catalog.RunAsync();
        var table = CalibrationMarkdown.Render(run, "dotnet test tests/CodeLab.Calibration.Tests (CI: every solution once, references twice)");
        var folder = Path.Combine(RepositoryPaths.Root, "artifacts", "calibration");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "table.md"), table, TestContext.Current.CancellationToken);
        await File.WriteAllLinesAsync(Path.Combine(folder, "progress.log"), Catalog.Progress, TestContext.Current.CancellationToken);
        output.WriteLine(table);
        // Diagnostic messages (xunit.runner.json) are what `dotnet test` shows on the console for a passing test.
        TestContext.Current.SendDiagnosticMessage("Calibration (also in artifacts/calibration/table.md):");
        foreach (var line in table.Split('\n', StringSplitOptions.RemoveEmptyEntries)) TestContext.Current.SendDiagnosticMessage(line.TrimEnd('\r'));
        run.Leftovers.ShouldBeEmpty();
        (await DockerSandbox.LeftBehindAsync()).ShouldBeEmpty();
    }
}
