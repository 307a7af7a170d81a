using System.Diagnostics;
using CodeLab.TestSupport;

namespace CodeLab.Cli.Tests;

internal sealed record CliResult(int ExitCode, string Stdout, string Stderr);

internal static class Cli
{
    /// <summary>
    /// The CLI as built in its own output folder (artifacts/bin/CodeLab.Cli/&lt;config&gt;), with its own deps.json and
    /// runtimeconfig: this test project runs on the ASP.NET Core framework (through TestSupport), so the copy beside the
    /// tests lacks the packages that framework would provide, and a user's CLI never has it.
    /// </summary>
    static readonly string CliAssembly = SiblingOutput();

    static string SiblingOutput()
    {
        var testOutput = Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory);    // artifacts/bin/CodeLab.Cli.Tests/release
        var binFolder = Path.GetDirectoryName(Path.GetDirectoryName(testOutput))!;        // artifacts/bin
        return Path.Combine(binFolder, "CodeLab.Cli", Path.GetFileName(testOutput), "CodeLab.Cli.dll");
    }

    public static async Task<CliResult> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
            Environment = { ["CODELAB_HOME"] = RepositoryPaths.Root },
        };
        start.ArgumentList.Add(CliAssembly);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
