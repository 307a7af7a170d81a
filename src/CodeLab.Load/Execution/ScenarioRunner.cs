using CodeLab.Load.Stats;

namespace CodeLab.Load.Execution;

/// <summary>
/// Runs one scenario: init, warm-up (measured into a recorder that is thrown away), the plan's phases one after
/// another, a drain of the calls still in flight, stats, thresholds, clean. When each call starts is the
/// <see cref="LoadPlan"/>'s business; carrying a phase out is its runner's.
/// </summary>
internal sealed class ScenarioRunner
{
    readonly ScenarioProps props;
    readonly LoadPlan plan;
    readonly ScenarioCalls calls;
    readonly OpenModelRunner open;
    readonly ClosedModelRunner closed;
    readonly BurstRunner bursts;

    public ScenarioRunner(ScenarioProps props)
    {
        this.props = props;
        foreach (var burst in props.Simulations.OfType<BurstSimulation>())
            if (burst.Count > props.MaxInFlight)
                throw new ArgumentException($"Scenario '{props.Name}': Burst({burst.Count}) releases more calls than MaxInFlight ({props.MaxInFlight}) allows at once; raise it with WithMaxInFlight.");
        plan = LoadPlan.For(props.Simulations);
        calls = new ScenarioCalls(props);
        open = new OpenModelRunner(calls, props.Name);
        closed = new ClosedModelRunner(calls);
        bursts = new BurstRunner(calls);
    }

    public string Name => props.Name;
    public string Stage { get; private set; } = "waiting";

    public LoadProgress Progress()
    {
        var r = calls.Recorder;
        return new LoadProgress(props.Name, Stage, TimeSpan.FromSeconds(Clock.Seconds(Clock.Now - r.Origin)), PlannedDuration(),
            r.OkCount, r.FailCount, calls.InFlight);
    }

    TimeSpan? PlannedDuration()
    {
        var spans = props.Simulations.Select(s => s.During).ToArray();
        return spans.All(s => s is not null) ? spans.Aggregate(TimeSpan.Zero, (a, s) => a + s!.Value) : null;
    }

    public async Task<ScenarioStats> RunAsync(CancellationToken cancellationToken)
    {
        if (props.Init is { } init)
        {
            Stage = "init";
            await init(cancellationToken).ConfigureAwait(false);
        }
        try
        {
            if (props.WarmUp > TimeSpan.Zero)
            {
                Stage = "warm-up";
                await RunStageAsync(plan.WarmUp(props.WarmUp), warmUp: true, cancellationToken).ConfigureAwait(false);
            }
            Stage = "running";
            var (measured, end) = await RunStageAsync(plan, warmUp: false, cancellationToken).ConfigureAwait(false);
            Stage = "done";
            var duration = Clock.Seconds(end - measured.Origin);
            var stats = measured.ToStats(props.Name, duration, plan.TargetRate, props.GeneratorLagBound);
            if (props.Verify is { } verify)
            {
                Stage = "verifying";
                stats = stats with { Checks = await verify(cancellationToken).ConfigureAwait(false) };
            }
            return stats with { Thresholds = props.Thresholds.Select(t => t.Evaluate(stats)).ToArray() };
        }
        finally
        {
            if (props.Clean is { } clean) await clean(CancellationToken.None).ConfigureAwait(false);
        }
    }

    async Task<(Recorder Recorder, long End)> RunStageAsync(LoadPlan stagePlan, bool warmUp, CancellationToken cancellationToken)
    {
        // Not disposed when calls outlive the drain: they may still be looking at its token.
        var stageCalls = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var stage = new Recorder(Clock.Now);
        calls.BeginStage(stage, warmUp, stageCalls.Token);
        // Where the next phase starts on the ideal timeline (stage start + earlier phases' durations), so a phase
        // that ends a little late does not push the schedule of the next one.
        var timeline = stage.Origin;

        foreach (var phase in stagePlan.Phases)
        {
            switch (phase)
            {
                case OpenPhase o:
                    await open.RunAsync(o, timeline, cancellationToken).ConfigureAwait(false);
                    timeline += Clock.Ticks(o.Seconds);
                    break;
                case ClosedPhase c:
                    timeline = Math.Max(timeline, await closed.RunAsync(c, timeline, cancellationToken).ConfigureAwait(false));
                    break;
                case PausePhase p:
                    timeline += Clock.Ticks(p.Duration);
                    var pause = Clock.Seconds(timeline - Clock.Now);
                    if (pause > 0) await Task.Delay(TimeSpan.FromSeconds(pause), cancellationToken).ConfigureAwait(false);
                    break;
                case BurstPhase b:
                    bursts.Release(b, cancellationToken);
                    timeline = Math.Max(timeline, Clock.Now);
                    break;
            }
        }

        var end = Math.Max(Clock.Now, stage.LastStart);
        var unfinished = await DrainAsync(stageCalls, warmUp, cancellationToken).ConfigureAwait(false);
        // A burst-only stage has no phase time of its own: its duration is how long its calls took.
        if (Clock.Seconds(end - stage.Origin) < 0.001) end = Clock.Now;
        stage.Close(unfinished);
        if (unfinished == 0) stageCalls.Dispose();
        return (stage, end);
    }

    /// <summary>Waits for the calls still in flight; cancels them after the drain time and returns how many never finished.</summary>
    async Task<long> DrainAsync(CancellationTokenSource stageCalls, bool warmUp, CancellationToken cancellationToken)
    {
        Stage = warmUp ? "warm-up (draining)" : "draining";
        var deadline = Clock.Now + Clock.Ticks(props.DrainTimeout);
        while (calls.InFlight > 0 && Clock.Now < deadline)
            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        if (calls.InFlight == 0) return 0;
        await stageCalls.CancelAsync().ConfigureAwait(false);
        var grace = Clock.Now + Clock.Ticks(TimeSpan.FromSeconds(2));
        while (calls.InFlight > 0 && Clock.Now < grace)
            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        return calls.InFlight;
    }
}
