using System.Diagnostics;
using CodeLab.Exercises;

namespace CodeLab.Calibration.Tests;

/// <summary>A workspace as `codelab init` writes it, and the commands a candidate runs in it.</summary>
internal static class CandidateWorkspace
{
    public static string Write(string exerciseId, string level)
    {
        var exercise = Catalog.Exercises.Find(exerciseId).ForLevel(level);
        var workspace = Path.Combine(Directory.CreateTempSubdirectory("codelab-workspace").FullName, "ws");
        WorkspaceWriter.Write(exercise, level, workspace);
        return workspace;
    }

    /// <summary>Copies a solution's files over the workspace, as a candidate's edits would land.</summary>
    public static void CopyOver(string workspace, string solution)
    {
        foreach (var file in Directory.EnumerateFiles(solution, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(workspace, Path.GetRelativePath(solution, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
            // File.Copy keeps the old timestamp, and MSBuild would then think the starter's build is up to date.
            File.SetLastWriteTimeUtc(target, DateTime.UtcNow);
        }
    }

    public static async Task<(int ExitCode, string Output)> DotnetAsync(string folder, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet", arguments) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        // What a candidate's shell would not have: the variables the test host itself runs with.
        foreach (var name in (string[])["CODELAB_SERVICE_URLS", "CODELAB_REDIS", "CODELAB_REDIS_PASSWORD", "CODELAB_FAKES_PORT"]) start.Environment.Remove(name);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} in {folder} did not finish in 8 minutes:\n{await stdout}{await stderr}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
