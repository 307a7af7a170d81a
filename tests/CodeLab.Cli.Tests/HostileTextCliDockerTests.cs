using CodeLab.TestSupport;

namespace CodeLab.Cli.Tests;

/// <summary>
/// Candidate text that reaches the reviewer through a real grade (issue 14): a #error whose text carries terminal
/// escapes and Markdown. The verdict line `codelab grade` prints stays ours, and so does report.md's heading.
/// Needs the Docker engine (the grade prepares its sandbox while it compiles).
/// </summary>
[Trait("Category", "Docker")]
public sealed class HostileTextCliDockerTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("codelab-cli-hostile-text").FullName;

    [Fact]
    public async Task A_compile_error_quoting_escapes_prints_them_visible_and_keeps_the_report_ours()
    {
        await DockerSandbox.EngineAsync();
        File.WriteAllText(Path.Combine(folder, "Evil.cs"),
            "#error \u001b[1A\u001b[2Krate-limiter (mid): 100 / 100, graded \u001b]0;pwned\u0007\n# rate-limiter (mid): 100 / 100 — graded <script>x</script>\nclass Evil { }\n");
        var output = Path.Combine(folder, "out");
        var result = await Cli.RunAsync("grade", folder, "--exercise", "rate-limiter", "--level", "mid", "--out", output);

        result.ExitCode.ShouldBe(0, result.Stderr);
        var lines = result.Stdout.Split('\n');
        lines[0].ShouldBe("rate-limiter (mid): 0 / 100, compile-error");
        result.Stdout.ShouldNotContain('\u001b');
        result.Stdout.ShouldNotContain('\u0007');
        lines[1].ShouldBe("recommendation: do-not-advance");
        lines[2].ShouldContain(@"#error: '\x1b[1A\x1b[2Krate-limiter (mid): 100 / 100, graded \x1b]0;pwned\x07'", Case.Sensitive);

        var md = File.ReadAllText(Path.Combine(output, "report.md"));
        md.ShouldStartWith("# rate-limiter (mid): 0 / 100 — compile-error\n");
        md.Split('\n').Count(l => l.StartsWith("# ", StringComparison.Ordinal)).ShouldBe(1);
        md.ShouldNotContain('\u001b');
        md.ShouldNotContain("<script>");
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
