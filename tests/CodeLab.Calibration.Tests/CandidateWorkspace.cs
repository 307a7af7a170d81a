using System.Diagnostics;
using CodeLab.Exercises;

namespace CodeLab.Calibration.Tests;

/// <summary>A workspace as `codelab init` writes it, and the commands a candidate runs in it.</summary>
internal static class CandidateWorkspace
{
    /// <summary>Writes the workspace in a temporary folder, which disposing removes (a workspace with its builds holds about 12 MB).</summary>
    public static Written Write(string exerciseId, string level)
    {
        var exercise = Catalog.Exercises.Find(exerciseId).ForLevel(level);
        var root = Directory.CreateTempSubdirectory("codelab-workspace").FullName;
        var workspace = Path.Combine(root, "ws");
        WorkspaceWriter.Write(exercise, level, workspace);
        return new Written(root, workspace);
    }

    public sealed record Written(string Root, string Path) : IDisposable
    {
        public void Dispose()
        {
            try { Directory.Delete(Root, recursive: true); }
            catch (IOException) { /* a build server may still hold a file: the temporary folder is the system's to clear */ }
            catch (UnauthorizedAccessException) { }
        }
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

    /// <summary>
    /// The workspace work runs beside the calibration's grades (see <see cref="WorkspacesFirst"/>) and yields the CPU to
    /// them: builds at the lowest priority (nice 19), the candidate's own command (its service and tests) at a low one
    /// (nice 10). The grades' containers keep their full share; the workspaces take what the grades leave idle.
    /// </summary>
    public const int BuildNice = 19, RunNice = 10;

    /// <summary>
    /// Build servers (MSBuild nodes, the compiler server) left by earlier un-niced builds would do the niced builds'
    /// work at full priority: they are stopped once, and the niced builds start their own.
    /// </summary>
    static readonly Lazy<Task> BuildServersStopped = new(() => RunAsync(Environment.CurrentDirectory, ["build-server", "shutdown"], null, 0));

    /// <summary>
    /// Builds the whole workspace (service or library, tests, LocalRun) as `dotnet build` would, at the lowest priority,
    /// and fails the test with the build's output when it does not build (<paramref name="which"/>: "starter", "solved").
    /// The starter's build restores; the solved one, whose copy changed only source files, does not restore again
    /// (about 3 CPU-s a build on this machine, and CI's CPU is its time). A solution that brought a project file of its
    /// own would fail that build loudly, never pass it unrestored.
    /// </summary>
    public static async Task BuildAsync(string folder, string which)
    {
        await BuildServersStopped.Value;
        string[] build = which == "starter" ? ["build", "-nologo"] : ["build", "-nologo", "--no-restore"];
        var (exitCode, output) = await RunAsync(folder, build, null, BuildNice);
        exitCode.ShouldBe(0, $"the {which} workspace does not build:\n{output}");
    }

    /// <summary>
    /// A command the candidate runs, at <see cref="RunNice"/>. The tests pass `--no-build` after <see cref="BuildAsync"/>:
    /// `dotnet test` and `dotnet run` would otherwise check the fresh build again (about 4.6 CPU-s each); what the candidate's
    /// one command does is the two together.
    /// </summary>
    public static Task<(int ExitCode, string Output)> DotnetAsync(string folder, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        RunAsync(folder, arguments, environment, RunNice);

    static async Task<(int ExitCode, string Output)> RunAsync(string folder, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment, int nice)
    {
        var start = new ProcessStartInfo("dotnet", arguments);
        if (nice != 0 && OperatingSystem.IsLinux())
        {
            // A nice value orders processes only within their scheduling group, and with the kernel's autogroups (on
            // here) the group is the session: the workspace work would share the test host's group, which competes as
            // an equal with all of Docker's containers together. So it gets a session of its own (setsid), and that
            // session's group gets the nice value; the value inside it, for machines without autogroups. Everything
            // dotnet starts (build servers, the service, the test host) inherits both.
            var value = nice.ToString(System.Globalization.CultureInfo.InvariantCulture);
            start = new ProcessStartInfo("setsid", ["sh", "-c", $"echo {value} > /proc/self/autogroup 2>/dev/null; exec nice -n {value} dotnet \"$@\"", "sh", .. arguments]);
        }
        start.WorkingDirectory = folder;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        // What a candidate's shell would not have: the variables the test host itself runs with.
        foreach (var name in (string[])["CODELAB_SERVICE_URLS", "CODELAB_REDIS", "CODELAB_REDIS_PASSWORD", "CODELAB_FAKES_PORT"]) start.Environment.Remove(name);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        // A machine may turn the compiler server off (UseSharedCompilation=false in this one's environment): every compile
        // then loads and JITs Roslyn again, about 20 CPU-s a starter build against 7-10 with the server warm. The first
        // niced build starts it, at its priority; `codelab test` stops it when the tests are done.
        start.Environment["UseSharedCompilation"] = "true";
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
