using CodeLab.Load.Stats;
using CodeLab.TestSupport;

namespace CodeLab.Load.Tests;

/// <summary>The engine against a real Kestrel server on loopback: rate, coordinated omission, bursts, warm-up, thresholds.</summary>
[Collection(TimingCollection.Name)]
public sealed class HttpLoadTests : IAsyncLifetime
{
    LoopbackServer server = null!;
    readonly HttpClient client = Http.CreateClient();

    public async ValueTask InitializeAsync() => server = await LoopbackServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        await server.DisposeAsync();
    }

    ScenarioProps Get(string name, string pathAndQuery) =>
        Scenario.Create(name, ctx => Http.SendAsync(client, new HttpRequestMessage(HttpMethod.Get, server.Url(pathAndQuery)), ctx.CancellationToken));

    [Fact]
    public async Task Achieved_rate_is_within_one_percent_of_the_target_over_ten_seconds()
    {
        var result = await LoadRunner.RegisterScenarios(Get("rate", "/fast")
            .WithLoadSimulations(Simulation.Inject(200, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)))).RunAsync(TestContext.Current.CancellationToken);
        var s = result["rate"];
        TestContext.Current.SendDiagnosticMessage($"rate: target 200/s, achieved {s.AchievedRate:0.00}/s, per second {string.Join(" ", s.Series.Select(x => x.Ok))}");

        s.AllRequestCount.ShouldBe(2000);
        s.Ok.Request.Count.ShouldBe(2000, string.Join("; ", s.FailMessages.Select(m => $"{m.Value} x {m.Key}")));
        s.TargetRate.ShouldBe(200);
        // Within 1 % when the generator keeps up; a generator thread the machine held back may start its last calls
        // late, and then only by as much as the lag it reports (never a rate it did not measure).
        s.AchievedRate.ShouldBeLessThanOrEqualTo(202);
        s.AchievedRate.ShouldBeGreaterThanOrEqualTo(Math.Min(198, 2000 / (10 + s.GeneratorLag.MaxMs / 1000) * 0.99), $"generator lag max {s.GeneratorLag.MaxMs} ms");
        s.Series.Count.ShouldBe(10);
        s.Series.ShouldAllBe(second => second.Ok >= 195 && second.Ok <= 205);
        s.StatusCodes["200"].ShouldBe(2000);
    }

    [Fact]
    public async Task A_stall_shows_in_latency_from_the_intended_start_but_hides_from_uncorrected_latency()
    {
        // Two generators side by side against one server that stalls once for 1.5 s. "capped" keeps at most 2 calls in
        // flight, like a tool with 2 connections: the calls scheduled during the stall start late. Measured from the
        // actual send (uncorrected) the stall almost vanishes; measured from the intended start it is there.
        var load = Simulation.Inject(100, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
        using var stall = new Timer(_ => server.StallFor(TimeSpan.FromMilliseconds(1500)), null, TimeSpan.FromSeconds(1.5), Timeout.InfiniteTimeSpan);
        var result = await LoadRunner.RegisterScenarios(
            Get("capped", "/stallable").WithMaxInFlight(2).WithLoadSimulations(load),
            Get("open", "/stallable").WithLoadSimulations(load)).RunAsync(TestContext.Current.CancellationToken);
        var capped = result["capped"];
        var open = result["open"];
        TestContext.Current.SendDiagnosticMessage(
            $"stall: capped corrected p99 {capped.All.Latency.P99Ms:0} ms, uncorrected p99 {capped.All.UncorrectedLatency.P99Ms:0} ms, late starts {capped.LateStarts}; " +
            $"open corrected p99 {open.All.Latency.P99Ms:0} ms, uncorrected p99 {open.All.UncorrectedLatency.P99Ms:0} ms");

        capped.AllRequestCount.ShouldBe(500);
        capped.All.Latency.P99Ms.ShouldBeGreaterThan(1000, "corrected p99 must show the 1.5 s stall");
        capped.All.Latency.MaxMs.ShouldBeGreaterThan(1300);
        capped.All.UncorrectedLatency.P99Ms.ShouldBeLessThan(200, "only the 2 calls in flight during the stall saw it from their send");
        capped.LateStarts.ShouldBeGreaterThan(100, "about 150 calls were scheduled during the stall");
        // Waiting for the cap is the target's fault, not the generator's: counted as lag, the ~150 calls held back by the
        // stall (30 % of the run) would put the lag's p99 near 1.5 s. (Whether the generator kept up otherwise depends on
        // how busy the machine is, so GeneratorBound itself is not asserted.)
        capped.GeneratorLag.P99Ms.ShouldBeLessThan(1000, "waiting for the cap is not generator lag");

        // Without the cap every scheduled call is sent on time and waits in the server: both measures see the stall.
        open.AllRequestCount.ShouldBe(500);
        open.LateStarts.ShouldBe(0);
        open.All.Latency.P99Ms.ShouldBeGreaterThan(1000);
        open.All.UncorrectedLatency.P99Ms.ShouldBeGreaterThan(1000);
        open.Series.Max(s => s.MaxMs).ShouldBeGreaterThan(1300);
    }

    [Fact]
    public async Task A_burst_releases_all_its_calls_at_once()
    {
        var result = await LoadRunner.RegisterScenarios(Get("burst", "/hold?ms=400")
            .WithLoadSimulations(Simulation.Burst(20))).RunAsync(TestContext.Current.CancellationToken);
        var s = result["burst"];

        s.Ok.Request.Count.ShouldBe(20);
        server.MaxHeldAtOnce.ShouldBe(20, "all 20 calls must be inside the server at the same time");
        s.All.Latency.MinMs.ShouldBeGreaterThanOrEqualTo(400);
        s.All.Latency.MaxMs.ShouldBeLessThan(1400);
        s.TargetRate.ShouldBeNull("an instant has no rate");
    }

    [Fact]
    public async Task Warm_up_calls_are_made_but_not_counted()
    {
        var warmUpCalls = 0;
        var scenario = Scenario.Create("warm", ctx =>
        {
            if (ctx.IsWarmUp) Interlocked.Increment(ref warmUpCalls);
            return Http.SendAsync(client, new HttpRequestMessage(HttpMethod.Get, server.Url("/fast")), ctx.CancellationToken);
        });
        var result = await LoadRunner.RegisterScenarios(scenario
            .WithWarmUpDuration(TimeSpan.FromSeconds(1))
            .WithLoadSimulations(Simulation.Inject(50, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)))).RunAsync(TestContext.Current.CancellationToken);

        warmUpCalls.ShouldBe(50);
        server.Requests.ShouldBe(100);
        result["warm"].AllRequestCount.ShouldBe(50);
        result["warm"].Series.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Thresholds_report_the_value_they_saw()
    {
        var result = await LoadRunner.RegisterScenarios(Get("slow", "/slow?ms=30")
            .WithLoadSimulations(Simulation.Inject(20, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)))
            .WithThresholds(
                Threshold.Create(stats => stats.Ok.Latency.P99Ms < 5),
                Threshold.Create(stats => stats.Fail.Request.Count == 0),
                Threshold.Create(stats => stats.Ok.Request.Count > 0 && stats.AllRequestCount < 1000))).RunAsync(TestContext.Current.CancellationToken);
        var thresholds = result["slow"].Thresholds;

        thresholds[0].Expression.ShouldBe("Ok.Latency.P99Ms < 5");
        thresholds[0].Passed.ShouldBeFalse();
        thresholds[0].Actual!.Value.ShouldBeGreaterThanOrEqualTo(30);
        thresholds[0].Message.ShouldMatch(@"^Ok\.Latency\.P99Ms = \d+(\.\d+)? \(needs < 5\)$");
        thresholds[1].Passed.ShouldBeTrue();
        thresholds[1].Message.ShouldBe("Fail.Request.Count = 0 (== 0)");
        thresholds[2].Passed.ShouldBeTrue();
        thresholds[2].Actual.ShouldBeNull();
        thresholds[2].Message.ShouldBe("Ok.Request.Count > 0 && AllRequestCount < 1000: holds");
        result.AllThresholdsPassed.ShouldBeFalse();
    }

    [Fact]
    public async Task Calls_that_outlive_the_drain_time_are_cancelled_and_counted_as_unfinished()
    {
        var result = await LoadRunner.RegisterScenarios(Scenario.Create("stuck", async ctx =>
        {
            await Task.Delay(Timeout.Infinite, CancellationToken.None); // ignores cancellation on purpose
            return Response.Ok();
        }).WithDrainTimeout(TimeSpan.FromMilliseconds(200))
          .WithLoadSimulations(Simulation.Inject(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(0.5)))).RunAsync(TestContext.Current.CancellationToken);
        var s = result["stuck"];

        s.Unfinished.ShouldBe(5);
        s.Fail.Request.Count.ShouldBe(5);
        s.FailMessages.Keys.ShouldContain("still running when the drain time ran out");
    }
}
