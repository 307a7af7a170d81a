namespace CodeLab.Load;

/// <summary>Creates scenarios: <c>Scenario.Create("pay", async ctx => { ...; return Response.Ok(200); })</c>.</summary>
public static class Scenario
{
    public static ScenarioProps Create(string name, Func<ScenarioContext, Task<Response>> run)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A scenario needs a name.", nameof(name));
        ArgumentNullException.ThrowIfNull(run);
        return new ScenarioProps(name, run);
    }
}

/// <summary>A scenario and its settings. Immutable: every With* returns a changed copy.</summary>
public sealed record ScenarioProps
{
    internal ScenarioProps(string name, Func<ScenarioContext, Task<Response>> run)
    {
        Name = name;
        Run = run;
    }

    public string Name { get; }
    internal Func<ScenarioContext, Task<Response>> Run { get; }
    internal Func<CancellationToken, Task>? Init { get; init; }
    internal Func<CancellationToken, Task>? Clean { get; init; }
    internal Func<CancellationToken, Task<IReadOnlyList<Stats.ScenarioCheck>>>? Verify { get; init; }
    public TimeSpan WarmUp { get; init; } = TimeSpan.Zero;
    public IReadOnlyList<LoadSimulation> Simulations { get; init; } = [Simulation.KeepConstant(1, TimeSpan.FromSeconds(10))];
    public IReadOnlyList<Threshold> Thresholds { get; init; } = [];
    /// <summary>Open-model calls in flight at most; later arrivals wait for a slot and are counted as late starts.</summary>
    public int MaxInFlight { get; init; } = 1000;
    /// <summary>Generator lag (p99) beyond which the run is flagged generator-bound.</summary>
    public TimeSpan GeneratorLagBound { get; init; } = TimeSpan.FromMilliseconds(20);
    /// <summary>How long in-flight calls may take to finish after the last phase before they are cancelled.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Runs once before warm-up.</summary>
    public ScenarioProps WithInit(Func<CancellationToken, Task> init) => this with { Init = init };

    /// <summary>
    /// Runs once after the last call has finished (warm-up calls included), before clean-up: checks of what the calls
    /// did, counted by something the scenario trusts (a fake's ledger), not by the answers. They are reported with
    /// the stats, and a failed check fails the scenario whatever its thresholds say.
    /// </summary>
    public ScenarioProps WithVerification(Func<CancellationToken, Task<IReadOnlyList<Stats.ScenarioCheck>>> verify) => this with { Verify = verify };

    /// <summary>Runs once at the end, whatever happened.</summary>
    public ScenarioProps WithClean(Func<CancellationToken, Task> clean) => this with { Clean = clean };

    /// <summary>Runs the simulations from the start for this long first and throws those measurements away.</summary>
    public ScenarioProps WithWarmUpDuration(TimeSpan warmUp)
    {
        if (warmUp < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(warmUp), warmUp, "A warm-up cannot be negative.");
        return this with { WarmUp = warmUp };
    }

    public ScenarioProps WithoutWarmUp() => this with { WarmUp = TimeSpan.Zero };

    public ScenarioProps WithLoadSimulations(params LoadSimulation[] simulations)
    {
        if (simulations.Length == 0) throw new ArgumentException("A scenario needs at least one load simulation.", nameof(simulations));
        return this with { Simulations = simulations.ToArray() };
    }

    public ScenarioProps WithThresholds(params Threshold[] thresholds) => this with { Thresholds = thresholds.ToArray() };

    public ScenarioProps WithMaxInFlight(int maxInFlight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInFlight, 1);
        return this with { MaxInFlight = maxInFlight };
    }

    public ScenarioProps WithGeneratorLagBound(TimeSpan bound)
    {
        if (bound <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(bound), bound, "Must be longer than zero.");
        return this with { GeneratorLagBound = bound };
    }

    public ScenarioProps WithDrainTimeout(TimeSpan timeout)
    {
        if (timeout < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "Cannot be negative.");
        return this with { DrainTimeout = timeout };
    }
}
