using System.Text.Json.Nodes;
using CodeLab.TestSupport;

namespace CodeLab.Cli.Tests;

/// <summary>`codelab load` against a real Kestrel server on loopback, as a user runs it.</summary>
[Collection(TimingCollection.Name)]
public sealed class LoadCommandTests
{
    [Fact]
    public async Task Json_output_has_the_documented_shape_and_the_requested_rate()
    {
        await using var server = await LoopbackServer.StartAsync();
        var result = await Cli.RunAsync("load", server.Url("/fast").ToString(), "--rate", "50", "--duration", "2s", "--json");

        result.ExitCode.ShouldBe(0, result.Stderr);
        var json = JsonNode.Parse(result.Stdout)!;
        json["requests"]!["total"]!.GetValue<long>().ShouldBe(100);
        json["requests"]!["ok"]!.GetValue<long>().ShouldBe(100);
        json["requests"]!["fail"]!.GetValue<long>().ShouldBe(0);
        json["targetRate"]!.GetValue<double>().ShouldBe(50);
        // Within 2 % when the generator keeps up; otherwise lower by no more than the lag it reports.
        var lagMaxMs = json["generatorLagMs"]!["max"]!.GetValue<double>();
        json["achievedRate"]!.GetValue<double>().ShouldBeLessThanOrEqualTo(51);
        json["achievedRate"]!.GetValue<double>().ShouldBeGreaterThanOrEqualTo(Math.Min(49, 100 / (2 + lagMaxMs / 1000) * 0.98), $"generator lag max {lagMaxMs} ms");
        foreach (var key in new[] { "p50", "p75", "p90", "p95", "p99", "p999", "max", "mean" })
        {
            json["latencyMs"]![key]!.GetValue<double>().ShouldBeGreaterThan(0, key);
            json["uncorrectedLatencyMs"]![key]!.GetValue<double>().ShouldBeGreaterThan(0, key);
        }
        json["statusCodes"]!["200"]!.GetValue<long>().ShouldBe(100);
        json["generatorLagMs"]!["p99"]!.GetValue<double>().ShouldBeGreaterThanOrEqualTo(0);
        json["generatorLagMs"]!["max"]!.GetValue<double>().ShouldBeGreaterThanOrEqualTo(0);
        // Whether the generator kept up depends on how busy the machine is; the flag must agree with the lag it reports.
        json["generatorBound"]!.GetValue<bool>().ShouldBe(json["generatorLagMs"]!["p99"]!.GetValue<double>() > 20);
        server.Requests.ShouldBe(101, "100 measured calls and one probe");
    }

    [Fact]
    public async Task The_table_shows_requests_rate_latency_and_status_codes_for_a_closed_model()
    {
        await using var server = await LoopbackServer.StartAsync();
        var result = await Cli.RunAsync("load", server.Url("/fast").ToString(), "--copies", "4", "--duration", "1s", "--header", "X-Test: 1");

        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.ShouldContain("closed model, 4 copies for 1 s");
        result.Stdout.ShouldMatch(@"requests\s+\d+ \(\d+ ok, 0 failed\)");
        result.Stdout.ShouldContain("latency ms     p50 ");
        result.Stdout.ShouldContain("uncorrected    p50 ");
        result.Stdout.ShouldMatch(@"status codes\s+200: \d+");
    }

    [Fact]
    public async Task A_target_that_is_not_loopback_is_refused_before_any_request()
    {
        var result = await Cli.RunAsync("load", "http://192.0.2.10:8080/", "--rate", "10");

        result.ExitCode.ShouldBe(2);
        result.Stderr.Trim().ShouldBe("codelab: 192.0.2.10 is not this machine; codelab load only targets loopback (127.0.0.1, ::1, localhost) unless you pass --allow-remote for an environment you own.");
    }
}
