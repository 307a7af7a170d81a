using CodeLab.Load.Stats;

namespace CodeLab.Load.Tests;

/// <summary>The load shapes with an in-process scenario (no server): counts follow the schedule exactly.</summary>
[Collection(TimingCollection.Name)]
public sealed class SimulationTests
{
    static ScenarioProps Instant(string name = "instant", Action<ScenarioContext>? onCall = null) =>
        Scenario.Create(name, ctx =>
        {
            onCall?.Invoke(ctx);
            return Task.FromResult(Response.Ok(200, 10));
        });

    [Fact]
    public async Task Inject_issues_rate_times_duration_calls_and_fractional_rates_work()
    {
        var result = await LoadRunner.RegisterScenarios(
            Instant("whole").WithLoadSimulations(Simulation.Inject(100, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2))),
            Instant("fraction").WithLoadSimulations(Simulation.Inject(2.5, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)))).RunAsync();

        result["whole"].AllRequestCount.ShouldBe(200);
        result["whole"].TargetRate.ShouldBe(100);
        result["whole"].StatusCodes["200"].ShouldBe(200);
        result["whole"].AllBytes.ShouldBe(2000);
        result["fraction"].AllRequestCount.ShouldBe(5);
        result["fraction"].TargetRate.ShouldBe(2.5);
    }

    [Fact]
    public async Task Arrivals_are_spread_evenly_not_bunched_at_the_start_of_each_interval()
    {
        var starts = new List<double>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await LoadRunner.RegisterScenarios(Instant(onCall: _ => { lock (starts) starts.Add(clock.Elapsed.TotalMilliseconds); })
            .WithLoadSimulations(Simulation.Inject(20, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)))).RunAsync();

        starts.Count.ShouldBe(20);
        starts.Sort();
        var gaps = starts.Zip(starts.Skip(1), (a, b) => b - a).ToArray();
        // 20 per second = one every 50 ms; a per-tick burst would show gaps near 0.
        gaps.Average().ShouldBeInRange(45, 55);
        gaps.Count(g => g < 25).ShouldBeLessThanOrEqualTo(1, string.Join(", ", gaps.Select(g => g.ToString("0.0"))));
    }

    [Fact]
    public async Task Ramping_inject_climbs_linearly_and_carries_on_from_the_previous_rate()
    {
        var result = await LoadRunner.RegisterScenarios(Instant().WithLoadSimulations(
            Simulation.RampingInject(100, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)),
            Simulation.Inject(100, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)))).RunAsync();
        var s = result["instant"];

        s.AllRequestCount.ShouldBe(100 + 100); // the ramp's area (0 to 100/s over 2 s) plus the plateau
        s.Series[0].Ok.ShouldBeInRange(22, 28); // ~25 arrivals in the ramp's first second, ~75 in its second
        s.Series[1].Ok.ShouldBeInRange(72, 78);
    }

    [Fact]
    public async Task Closed_models_keep_copies_busy_and_iterations_are_exact()
    {
        var maxCopy = -1;
        var result = await LoadRunner.RegisterScenarios(
            Scenario.Create("constant", async ctx =>
            {
                InterlockedMax(ref maxCopy, ctx.CopyNumber);
                await Task.Delay(10, ctx.CancellationToken);
                return Response.Ok();
            }).WithLoadSimulations(Simulation.KeepConstant(3, TimeSpan.FromSeconds(1))),
            Instant("iterations").WithLoadSimulations(Simulation.IterationsForConstant(4, 1234))).RunAsync();

        maxCopy.ShouldBe(2);
        result["constant"].AllRequestCount.ShouldBeInRange(150, 300); // 3 copies x ~10-20 ms per call
        result["constant"].TargetRate.ShouldBeNull();
        result["iterations"].AllRequestCount.ShouldBe(1234);
    }

    [Fact]
    public async Task Ramping_constant_adds_copies_over_the_phase()
    {
        var perCopy = new int[8];
        await LoadRunner.RegisterScenarios(Scenario.Create("ramp", async ctx =>
        {
            Interlocked.Increment(ref perCopy[ctx.CopyNumber]);
            await Task.Delay(20, ctx.CancellationToken);
            return Response.Ok();
        }).WithLoadSimulations(Simulation.RampingConstant(8, TimeSpan.FromSeconds(1.6)))).RunAsync();

        perCopy[7].ShouldBeGreaterThan(0, "the last copy joins near the end");
        perCopy[0].ShouldBeGreaterThan(perCopy[7] * 2, "early copies run for most of the phase");
    }

    [Fact]
    public async Task Pause_makes_no_calls_and_failures_and_exceptions_are_counted_with_their_messages()
    {
        var result = await LoadRunner.RegisterScenarios(Scenario.Create("mixed", ctx => (ctx.InvocationNumber % 4) switch
        {
            0 => throw new InvalidOperationException("boom"),
            1 => Task.FromResult(Response.Fail(503, "unavailable")),
            _ => Task.FromResult(Response.Ok(200)),
        }).WithLoadSimulations(
            Simulation.Inject(40, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)),
            Simulation.Pause(TimeSpan.FromSeconds(1)),
            Simulation.Inject(40, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)))).RunAsync();
        var s = result["mixed"];

        s.AllRequestCount.ShouldBe(80);
        s.Series[1].Ok.ShouldBe(0);
        s.Series[1].Fail.ShouldBe(0);
        s.Ok.Request.Count.ShouldBe(40);
        s.Fail.Request.Count.ShouldBe(40);
        s.Fail.Request.Percent.ShouldBe(50);
        s.FailMessages["unavailable"].ShouldBe(20);
        s.FailMessages["InvalidOperationException: boom"].ShouldBe(20);
        s.StatusCodes["503"].ShouldBe(20);
        s.TargetRate!.Value.ShouldBe(80 / 3.0, 0.01);
    }

    [Fact]
    public async Task Init_runs_before_and_clean_after_even_when_a_threshold_fails()
    {
        var log = new List<string>();
        var result = await LoadRunner.RegisterScenarios(Instant(onCall: _ => { lock (log) if (log[^1] != "call") log.Add("call"); })
            .WithInit(_ => { log.Add("init"); return Task.CompletedTask; })
            .WithClean(_ => { log.Add("clean"); return Task.CompletedTask; })
            .WithLoadSimulations(Simulation.IterationsForConstant(1, 5))
            .WithThresholds(Threshold.Create(s => s.AllRequestCount > 5))).RunAsync();

        log.ShouldBe(["init", "call", "clean"]);
        result.AllThresholdsPassed.ShouldBeFalse();
    }

    [Fact]
    public async Task Verification_runs_after_every_call_finished_and_its_checks_travel_in_the_stats()
    {
        var log = new List<string>();
        var result = await LoadRunner.RegisterScenarios(Instant(onCall: _ => { lock (log) if (log.Count == 0 || log[^1] != "call") log.Add("call"); })
            .WithVerification(_ =>
            {
                log.Add("verify");
                return Task.FromResult<IReadOnlyList<CodeLab.Load.Stats.ScenarioCheck>>([new("charges per payment", "1", "2", false)]);
            })
            .WithClean(_ => { log.Add("clean"); return Task.CompletedTask; })
            .WithLoadSimulations(Simulation.IterationsForConstant(1, 5))).RunAsync();

        log.ShouldBe(["call", "verify", "clean"]);
        result.Scenarios[0].Checks.ShouldBe([new CodeLab.Load.Stats.ScenarioCheck("charges per payment", "1", "2", false)]);
    }

    [Fact]
    public void Invalid_shapes_are_refused_with_the_reason()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => Simulation.Inject(-1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
        Should.Throw<ArgumentOutOfRangeException>(() => Simulation.Inject(1, TimeSpan.Zero, TimeSpan.FromSeconds(1)));
        Should.Throw<ArgumentOutOfRangeException>(() => Simulation.KeepConstant(0, TimeSpan.FromSeconds(1)));
        Should.Throw<ArgumentOutOfRangeException>(() => Simulation.Burst(0));
        Should.Throw<ArgumentException>(() => LoadRunner.RegisterScenarios(Instant(), Instant()));
        var tooBig = Instant().WithMaxInFlight(5).WithLoadSimulations(Simulation.Burst(10));
        Should.Throw<ArgumentException>(() => LoadRunner.RegisterScenarios(tooBig).RunAsync()).Message.ShouldContain("MaxInFlight");
    }

    static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}
