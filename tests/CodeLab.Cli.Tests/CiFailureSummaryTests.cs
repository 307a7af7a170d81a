using System.Diagnostics;
using CodeLab.TestSupport;

namespace CodeLab.Cli.Tests;

/// <summary>
/// What a failed `./codelab test` prints last (.ci/summarize-failures.awk): every failed test with the first lines of
/// its message, and each project's "Failed!" line, from `dotnet test` logs as they are written.
/// </summary>
public sealed class CiFailureSummaryTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("codelab-ci-summary").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    async Task<string[]> SummarizeAsync(params string[] logs)
    {
        var start = new ProcessStartInfo("awk") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-f");
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, ".ci", "summarize-failures.awk"));
        for (var i = 0; i < logs.Length; i++)
        {
            var file = Path.Combine(folder, $"tests-{i}.log");
            await File.WriteAllTextAsync(file, logs[i], TestContext.Current.CancellationToken);
            start.ArgumentList.Add(file);
        }
        using var awk = Process.Start(start)!;
        var output = await awk.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await awk.WaitForExitAsync(TestContext.Current.CancellationToken);
        awk.ExitCode.ShouldBe(0, await awk.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken));
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public async Task Each_failed_test_is_named_with_its_message_and_each_project_with_its_count()
    {
        const string grading = """
            [xUnit.net 00:00:01.00]     Starting
              Failed CodeLab.Grading.Tests.A.Leaves_nothing [2 s]
              Error Message:
               Shouldly.ShouldAssertException : left
                should be empty but had
            1
                item

              Stack Trace:
                 at CodeLab.Grading.Tests.A.Leaves_nothing() in /codelab/A.cs:line 3
              Passed CodeLab.Grading.Tests.A.Other [1 s]

            Failed!  - Failed:     1, Passed:   233, Skipped:     0, Total:   234, Duration: 5 m - CodeLab.Grading.Tests.dll (net10.0)

            """;
        // A log cut off inside a failure (no stack trace follows), with Windows line ends.
        const string calibration = "  Failed CodeLab.Calibration.Tests.B.Rows [9 m]\r\n  Error Message:\r\n   rate-limiter senior reference: 80, expected 100\r\n";

        (await SummarizeAsync(grading, calibration)).ShouldBe(
        [
            "  FAILED CodeLab.Grading.Tests.A.Leaves_nothing: Shouldly.ShouldAssertException : left / should be empty but had / 1 / item",
            "  Failed!  - Failed:     1, Passed:   233, Skipped:     0, Total:   234, Duration: 5 m - CodeLab.Grading.Tests.dll (net10.0)",
            "  FAILED CodeLab.Calibration.Tests.B.Rows: rate-limiter senior reference: 80, expected 100",
        ]);
    }

    [Fact]
    public async Task A_long_message_is_cut_to_its_first_six_lines()
    {
        var message = string.Concat(Enumerable.Range(1, 9).Select(i => $"   line {i}\n"));
        var summary = await SummarizeAsync($"  Failed X.Y [1 s]\n  Error Message:\n{message}  Stack Trace:\n     at X.Y()\n");
        summary.ShouldBe(["  FAILED X.Y: line 1 / line 2 / line 3 / line 4 / line 5 / line 6"]);
    }

    [Fact]
    public async Task A_passing_run_gives_nothing()
    {
        (await SummarizeAsync("  Passed X.Y [1 s]\nPassed!  - Failed:     0, Passed:     1, Skipped:     0, Total:     1 - X.dll (net10.0)\n")).ShouldBeEmpty();
    }
}
