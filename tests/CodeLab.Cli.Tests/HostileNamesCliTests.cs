using System.Diagnostics;
using CodeLab.TestSupport;

namespace CodeLab.Cli.Tests;

/// <summary>
/// `codelab grade` on hand-ins that attack the grader or the reviewer's terminal (issue 14): exit 2, one line,
/// the entry named with its escapes visible, at once and without the engine.
/// </summary>
public sealed class HostileNamesCliTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("codelab-cli-hostile").FullName;

    public HostileNamesCliTests() => File.WriteAllText(Path.Combine(folder, "Limiter.cs"), "class Limiter { }");

    void Shell(string command) => TestSupport.Shell.Run(folder, command);

    async Task<string> BadInput()
    {
        var started = Stopwatch.GetTimestamp();
        var result = await Cli.RunAsync("grade", folder, "--exercise", "rate-limiter", "--level", "mid", "--out", Path.Combine(folder, "..", Path.GetFileName(folder) + "-out"));
        Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(30), "bad input is told before the engine is prepared");
        result.ExitCode.ShouldBe(2, result.Stdout + result.Stderr);
        result.Stdout.ShouldBeEmpty();
        result.Stderr.ShouldNotContain("Unhandled exception");
        var line = result.Stderr.TrimEnd('\n');
        line.ShouldNotContain('\n');
        line.ShouldAllBe(c => c >= ' ' && c != '\u007f' && !(c >= '\u0080' && c <= '\u009f'), "no control character reaches the terminal");
        line.ShouldStartWith("codelab: ");
        return line;
    }

    [Fact]
    public async Task A_file_name_with_terminal_escapes_is_printed_with_them_visible()
    {
        Shell("touch $'\\e[2J\\e[1;1HGRADED 100 \\u009b2K.cs'"); // ESC and the one-byte CSI (U+009B)
        (await BadInput()).ShouldBe(@"codelab: \x1b[2J\x1b[1;1HGRADED 100 \u009b2K.cs has control or invisible characters in its name; rename it.");
    }

    [Fact]
    public async Task A_file_name_that_is_not_utf8_is_printed_byte_by_byte()
    {
        Shell("touch $'\\xff.cs'");
        (await BadInput()).ShouldBe(@"codelab: \xff.cs has a name that is not valid UTF-8; rename it.");
    }

    [Fact]
    public async Task A_fifo_does_not_hang_the_grader()
    {
        Shell("mkfifo Pipe.cs");
        (await BadInput()).ShouldBe("codelab: Pipe.cs is a named pipe (FIFO), not a file; hand in real files and folders only.");
    }

    public void Dispose() => Shell($"rm -rf '{folder}' '{folder}-out'");
}
