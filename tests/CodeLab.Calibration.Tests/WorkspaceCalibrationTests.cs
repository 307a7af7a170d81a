using System.Diagnostics;
using CodeLab.Exercises;

namespace CodeLab.Calibration.Tests;

/// <summary>
/// The candidate's side: a workspace from init builds as handed out, and with the reference copied over it
/// `dotnet test` runs the public tests green, as the statement promises. Uses the real SDK and package source.
/// A service workspace's public tests need the service and its Redis running, so there the solved workspace must
/// build; the same public tests pass against the reference in the judge (SolutionCalibrationDockerTests).
/// </summary>
public sealed class WorkspaceCalibrationTests
{
    public static TheoryData<string, string> Levels() => Catalog.Levels();

    [Theory]
    [MemberData(nameof(Levels))]
    public async Task The_starter_workspace_builds_and_the_solved_one_passes_its_public_tests(string exerciseId, string level)
    {
        var exercise = Catalog.Exercises.Find(exerciseId).ForLevel(level);
        var workspace = Path.Combine(Directory.CreateTempSubdirectory("codelab-workspace").FullName, "ws");
        WorkspaceWriter.Write(exercise, level, workspace);

        var build = await DotnetAsync(workspace, "build");
        build.ExitCode.ShouldBe(0, $"the starter workspace does not build:\n{build.Output}");

        var reference = Catalog.Find(exerciseId, level, "reference").Folder;
        foreach (var file in Directory.EnumerateFiles(reference, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(workspace, Path.GetRelativePath(reference, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
            // File.Copy keeps the old timestamp, and MSBuild would then think the starter's build is up to date.
            File.SetLastWriteTimeUtc(target, DateTime.UtcNow);
        }
        if (exercise.Kind == "service")
        {
            var solved = await DotnetAsync(workspace, "build");
            solved.ExitCode.ShouldBe(0, $"the solved service workspace does not build:\n{solved.Output}");
            return;
        }
        var test = await DotnetAsync(workspace, "test");
        test.ExitCode.ShouldBe(0, $"dotnet test fails on the solved workspace:\n{test.Output}");
        test.Output.ShouldContain("Passed!");
    }

    static async Task<(int ExitCode, string Output)> DotnetAsync(string folder, string verb)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(verb);
        start.ArgumentList.Add("-nologo");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
