using System.Text.Json.Nodes;

namespace CodeLab.Cli.Tests;

/// <summary>The command-line contract of DESIGN.md: commands, exit codes, one clear line for bad input.</summary>
public sealed class CliContractTests
{
    [Fact]
    public async Task Exercises_json_lists_id_title_kind_skills_and_levels_with_time_estimates()
    {
        var result = await Cli.RunAsync("exercises", "--json");
        result.ExitCode.ShouldBe(0, result.Stderr);
        var items = JsonNode.Parse(result.Stdout)!.AsArray();
        foreach (var item in items)
        {
            item!["id"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
            item["title"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
            item["kind"]!.GetValue<string>().ShouldBeOneOf("library", "service");
            item["skills"]!.AsArray().ShouldNotBeNull();
            item["levels"]!.AsArray().ShouldAllBe(l => l!["timeEstimateMinutes"]!.GetValue<int>() > 0);
        }
    }

    [Theory]
    [InlineData("grade", "/nonexistent-folder", "--exercise", "rate-limiter", "--level", "mid")]
    [InlineData("show", "no-such-exercise")]
    [InlineData("init", "no-such-exercise", "--level", "junior", "--dir", "/tmp/codelab-never")]
    [InlineData("grade", ".", "--exercise", "rate-limiter")]
    [InlineData("no-such-command")]
    [InlineData("load", "http://10.1.2.3/", "--rate", "1")]
    [InlineData("load", "http://127.0.0.1:1/", "--rate", "5", "--duration", "1s")]
    [InlineData("load", "http://127.0.0.1:1/", "--rate", "5", "--copies", "2")]
    [InlineData("load", "ftp://127.0.0.1/", "--copies", "2")]
    [InlineData("load", "http://127.0.0.1:1/", "--rate", "5", "--duration", "ten")]
    [InlineData("calibrate", "--exercise", "no-such-exercise")]
    [InlineData("calibrate", "--exercise", "rate-limiter", "--level", "principal")]
    [InlineData("calibrate", "--parallel", "0")]
    [InlineData("calibrate", "--repeat", "0")]
    public async Task Bad_input_exits_2_with_one_line_on_stderr(params string[] args)
    {
        var result = await Cli.RunAsync(args);
        result.ExitCode.ShouldBe(2, result.Stdout + result.Stderr);
        var lines = result.Stderr.Trim().Split('\n');
        lines.Length.ShouldBe(1, result.Stderr);
        lines[0].ShouldStartWith("codelab: ");
    }

    [Fact]
    public async Task Help_lists_every_command()
    {
        var result = await Cli.RunAsync("--help");
        result.ExitCode.ShouldBe(0);
        foreach (var command in new[] { "demo", "calibrate", "exercises", "show", "init", "grade", "doctor", "prepare", "load" })
            result.Stdout.ShouldContain(command);
    }
}
