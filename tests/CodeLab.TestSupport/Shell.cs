using System.Diagnostics;

namespace CodeLab.TestSupport;

/// <summary>
/// Runs a bash command in a folder: the easiest way to make what hostile hand-ins hold (FIFOs, hard links, names
/// with any bytes through $'...', which needs a UTF-8 locale for \u escapes).
/// </summary>
public static class Shell
{
    public static void Run(string folder, string command) => Start(folder, command, captureOutput: false);

    /// <summary>Like <see cref="Run"/>, and returns what the command wrote to stdout.</summary>
    public static string Output(string folder, string command) => Start(folder, command, captureOutput: true);

    static string Start(string folder, string command, bool captureOutput)
    {
        var start = new ProcessStartInfo("bash", ["-c", command])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = captureOutput,
            RedirectStandardError = true,
            Environment = { ["LC_ALL"] = "C.UTF-8" },
        };
        using var process = Process.Start(start)!;
        var output = captureOutput ? process.StandardOutput.ReadToEndAsync() : Task.FromResult("");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{command} failed ({process.ExitCode}): {error}");
        return output.GetAwaiter().GetResult();
    }
}
