using System.Diagnostics;
using CodeLab.TestSupport;

namespace CodeLab.Cli.Tests;

internal sealed record CliResult(int ExitCode, string Stdout, string Stderr);

internal static class Cli
{
    public static async Task<CliResult> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
            Environment = { ["CODELAB_HOME"] = RepositoryPaths.Root },
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CodeLab.Cli.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
