using CodeLab.Load.Stats;

namespace CodeLab.Load.Execution;

/// <summary>
/// Runs one scenario: init, warm-up (measured into a recorder that is thrown away), the simulations one after another,
/// a drain of the calls still in flight, stats, thresholds, clean.
/// </summary>
internal sealed class ScenarioRunner
{
    readonly ScenarioProps props;
    readonly SemaphoreSlim slots;
    Recorder recorder = new(Clock.Now);
    CancellationToken callsToken;
    bool warmingUp;
    long invocations;
    int inFlight;
    long lastCapRelease;
    // The open model's schedule carries over from one open phase to the next (fractional arrivals, ramps).
    double openOffset;
    double previousRate;
    double previousCopies;
    // Where the next timed phase starts on the ideal timeline (stage start + earlier phases' durations), so a phase
    // that ends a little late does not push the schedule of the next one.
    long timeline;
    // What the measurement stage asked for, for the target rate.
    long scheduledArrivals;
    double plannedSeconds;
    bool closedPhaseSeen;

    public ScenarioRunner(ScenarioProps props)
    {
        this.props = props;
        foreach (var burst in props.Simulations.OfType<BurstSimulation>())
            if (burst.Count > props.MaxInFlight)
                throw new ArgumentException($"Scenario '{props.Name}': Burst({burst.Count}) releases more calls than MaxInFlight ({props.MaxInFlight}) allows at once; raise it with WithMaxInFlight.");
        slots = new SemaphoreSlim(props.MaxInFlight, props.MaxInFlight);
    }

    public string Name => props.Name;
    public string Stage { get; private set; } = "waiting";

    public LoadProgress Progress()
    {
        var r = recorder;
        return new LoadProgress(props.Name, Stage, TimeSpan.FromSeconds(Clock.Seconds(Clock.Now - r.Origin)), PlannedDuration(),
            r.OkCount, r.FailCount, Volatile.Read(ref inFlight));
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
                await RunStageAsync(WarmUpPhases(), warmUp: true, cancellationToken).ConfigureAwait(false);
            }
            Stage = "running";
            var (measured, end) = await RunStageAsync(props.Simulations, warmUp: false, cancellationToken).ConfigureAwait(false);
            Stage = "done";
            var duration = Clock.Seconds(end - measured.Origin);
            double? targetRate = !closedPhaseSeen && plannedSeconds > 0 ? scheduledArrivals / plannedSeconds : null;
            var stats = measured.ToStats(props.Name, duration, targetRate, props.GeneratorLagBound);
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

    async Task<(Recorder Recorder, long End)> RunStageAsync(IEnumerable<LoadSimulation> phases, bool warmUp, CancellationToken cancellationToken)
    {
        // Not disposed when calls outlive the drain: they may still be looking at its token.
        var calls = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        callsToken = calls.Token;
        warmingUp = warmUp;
        invocations = 0;
        openOffset = previousRate = previousCopies = 0;
        scheduledArrivals = 0;
        plannedSeconds = 0;
        closedPhaseSeen = false;
        var stage = recorder = new Recorder(Clock.Now);
        timeline = stage.Origin;

        foreach (var phase in phases)
        {
            switch (phase)
            {
                case InjectSimulation i:
                    await RunOpenAsync(PerSecond(i.Rate, i.Interval), PerSecond(i.Rate, i.Interval), i.Duration, cancellationToken).ConfigureAwait(false);
                    break;
                case RampingInjectSimulation r:
                    await RunOpenAsync(previousRate, PerSecond(r.Rate, r.Interval), r.Duration, cancellationToken).ConfigureAwait(false);
                    break;
                case KeepConstantSimulation k:
                    await RunClosedAsync(_ => k.Copies, k.Duration, null, cancellationToken).ConfigureAwait(false);
                    previousCopies = k.Copies;
                    break;
                case RampingConstantSimulation rc:
                    var from = previousCopies;
                    await RunClosedAsync(t => from + (rc.Copies - from) * t, rc.Duration, null, cancellationToken).ConfigureAwait(false);
                    previousCopies = rc.Copies;
                    break;
                case IterationsForConstantSimulation it:
                    await RunClosedAsync(_ => it.Copies, null, it.Iterations, cancellationToken).ConfigureAwait(false);
                    previousCopies = it.Copies;
                    break;
                case PauseSimulation p:
                    timeline += Clock.Ticks(p.Duration);
                    var pause = Clock.Seconds(timeline - Clock.Now);
                    if (pause > 0) await Task.Delay(TimeSpan.FromSeconds(pause), cancellationToken).ConfigureAwait(false);
                    plannedSeconds += p.Duration.TotalSeconds;
                    openOffset = previousRate = previousCopies = 0;
                    break;
                case BurstSimulation b:
                    RunBurst(b.Count, cancellationToken);
                    timeline = Math.Max(timeline, Clock.Now);
                    break;
                default:
                    throw new NotSupportedException($"Load simulation {phase.GetType().Name} is not supported.");
            }
        }

        var end = Math.Max(Clock.Now, stage.LastStart);
        var unfinished = await DrainAsync(calls, cancellationToken).ConfigureAwait(false);
        // A burst-only stage has no phase time of its own: its duration is how long its calls took.
        if (Clock.Seconds(end - stage.Origin) < 0.001) end = Clock.Now;
        stage.Close(unfinished);
        if (unfinished == 0) calls.Dispose();
        return (stage, end);
    }

    static double PerSecond(double rate, TimeSpan interval) => rate / interval.TotalSeconds;

    /// <summary>The simulations from the start, cut at the warm-up duration; phases without a duration are skipped.</summary>
    IEnumerable<LoadSimulation> WarmUpPhases()
    {
        var left = props.WarmUp;
        foreach (var phase in props.Simulations)
        {
            if (left <= TimeSpan.Zero) yield break;
            if (phase.During is not { } during) continue;
            var take = during < left ? during : left;
            left -= take;
            yield return phase switch
            {
                InjectSimulation i => i with { Duration = take },
                RampingInjectSimulation r => r with { Duration = take, Rate = previousRate + (r.Rate - previousRate) * (take / during) },
                KeepConstantSimulation k => k with { Duration = take },
                RampingConstantSimulation rc => rc with { Duration = take },
                PauseSimulation p => p with { Duration = take },
                _ => phase,
            };
        }
    }

    // ---- open model -------------------------------------------------------------------------------------------

    /// <summary>
    /// Arrivals spread evenly along a rate that moves linearly from <paramref name="fromRate"/> to <paramref name="toRate"/>
    /// (calls per second). A dedicated thread keeps the schedule; calls run on the thread pool, so the schedule never
    /// waits for responses, only for the in-flight cap.
    /// </summary>
    Task RunOpenAsync(double fromRate, double toRate, TimeSpan during, CancellationToken cancellationToken)
    {
        var start = timeline;
        timeline += Clock.Ticks(during);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Dispatch(start, fromRate, toRate, during.TotalSeconds, cancellationToken);
                done.SetResult();
            }
            catch (OperationCanceledException ex)
            {
                done.SetCanceled(ex.CancellationToken);
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        })
        { IsBackground = true, Name = $"codelab-load {props.Name}" };
        thread.Start();
        return done.Task;
    }

    void Dispatch(long start, double fromRate, double toRate, double seconds, CancellationToken cancellationToken)
    {
        // Arrivals so far at time t: N(t) = a t^2 + b t. Arrival k comes when N(t) = k + offset.
        var a = (toRate - fromRate) / (2 * seconds);
        var b = fromRate;
        var total = fromRate * seconds + (toRate - fromRate) * seconds / 2;
        var count = Math.Max(0, (long)Math.Ceiling(total - openOffset - 1e-9));
        for (long k = 0; k < count; k++)
        {
            var n = k + openOffset;
            // The stable root of a t^2 + b t - n = 0 (also right when a is 0 or negative).
            var t = n == 0 ? 0 : 2 * n / (b + Math.Sqrt(Math.Max(0, b * b + 4 * a * n)));
            var intended = start + Clock.Ticks(Math.Min(t, seconds));
            WaitUntil(intended, cancellationToken);
            StartOpenCall(intended, cancellationToken);
        }
        openOffset = count + openOffset - total;
        previousRate = toRate;
        scheduledArrivals += count;
        plannedSeconds += seconds;
        WaitUntil(start + Clock.Ticks(seconds), cancellationToken);
    }

    /// <summary>Sleeps in whole milliseconds (no spinning: the generator shares the machine), so calls start up to about 1 ms late; that lag is measured.</summary>
    static void WaitUntil(long target, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var remaining = Clock.Seconds(target - Clock.Now) * 1000;
            if (remaining <= 0) return;
            if (remaining >= 2) cancellationToken.WaitHandle.WaitOne((int)remaining - 1);
            else if (remaining > 0.2) Thread.Sleep(1);
            else Thread.Yield();
        }
    }

    void StartOpenCall(long intended, CancellationToken cancellationToken)
    {
        if (!slots.Wait(0))
        {
            slots.Wait(cancellationToken);
            lastCapRelease = Clock.Now;
        }
        var eligible = intended;
        if (lastCapRelease > intended)
        {
            // The cap, not the generator, held this call back: the wait counts in its latency, not in generator lag.
            eligible = lastCapRelease;
            recorder.LateStart();
        }
        Interlocked.Increment(ref inFlight);
        ThreadPool.UnsafeQueueUserWorkItem(new OpenCall(this, recorder, intended, eligible), preferLocal: false);
    }

    sealed class OpenCall(ScenarioRunner runner, Recorder recorder, long intended, long eligible) : IThreadPoolWorkItem
    {
        public void Execute() => _ = runner.InvokeAsync(recorder, intended, eligible, copy: -1, releaseSlot: true);
    }

    // ---- bursts -----------------------------------------------------------------------------------------------

    void RunBurst(int count, CancellationToken cancellationToken)
    {
        var gate = new BurstGate();
        var stage = recorder;
        for (var i = 0; i < count; i++)
        {
            slots.Wait(cancellationToken);
            Interlocked.Increment(ref inFlight);
            _ = BurstCallAsync(gate, stage);
        }
        gate.Released = Clock.Now;
        scheduledArrivals += count;
        gate.Open.SetResult();
    }

    async Task BurstCallAsync(BurstGate gate, Recorder stage)
    {
        await gate.Open.Task.ConfigureAwait(false);
        await InvokeAsync(stage, gate.Released, gate.Released, copy: -1, releaseSlot: true).ConfigureAwait(false);
    }

    sealed class BurstGate
    {
        // Each waiting call continues on its own thread-pool work item, so all of them are released together.
        public readonly TaskCompletionSource Open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public long Released;
    }

    // ---- closed model -----------------------------------------------------------------------------------------

    /// <summary>
    /// Copies that each start their next call when the previous one returns. The number of copies follows
    /// <paramref name="copiesAt"/> (0..1 through the phase). No schedule, so latency and uncorrected latency agree.
    /// </summary>
    async Task RunClosedAsync(Func<double, double> copiesAt, TimeSpan? during, long? iterations, CancellationToken cancellationToken)
    {
        closedPhaseSeen = true;
        openOffset = previousRate = 0;
        var start = during is null ? Clock.Now : timeline;
        var end = during is { } d ? start + Clock.Ticks(d) : long.MaxValue;
        var stage = recorder;
        var desired = (int)Math.Round(copiesAt(0));
        long issued = 0;
        var copies = new List<Task>();

        async Task CopyAsync(int index)
        {
            var sameThread = 0;
            while (!cancellationToken.IsCancellationRequested && Clock.Now < end && index < Volatile.Read(ref desired))
            {
                if (iterations is { } limit && Interlocked.Increment(ref issued) > limit) break;
                Interlocked.Increment(ref inFlight);
                var call = InvokeAsync(stage, null, null, index, releaseSlot: false);
                if (!call.IsCompleted) await call.ConfigureAwait(false);
                else if (++sameThread % 64 == 0) await Task.Yield();
            }
        }

        for (var i = 0; i < desired; i++)
        {
            var index = i;
            copies.Add(Task.Run(() => CopyAsync(index), CancellationToken.None));
        }
        if (during is { } span)
        {
            var spawned = desired;
            while (Clock.Now < end)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(50, Math.Max(1, Clock.Seconds(end - Clock.Now) * 1000))), cancellationToken).ConfigureAwait(false);
                var progress = Math.Min(1, Clock.Seconds(Clock.Now - start) / span.TotalSeconds);
                Volatile.Write(ref desired, (int)Math.Round(copiesAt(progress)));
                for (; spawned < desired; spawned++)
                {
                    var index = spawned;
                    copies.Add(Task.Run(() => CopyAsync(index), CancellationToken.None));
                }
            }
            plannedSeconds += span.TotalSeconds;
            // The copies finish the call they are making on their own; the next phase starts on time.
        }
        else
        {
            await Task.WhenAll(copies).ConfigureAwait(false);
        }
        timeline = during is null ? Math.Max(timeline, Clock.Now) : end;
    }

    // ---- one call ---------------------------------------------------------------------------------------------

    /// <param name="intended">When the schedule wanted the call; null in a closed model (it is the actual start).</param>
    /// <param name="eligible">When the call could have started at the earliest (after the in-flight cap); lag is measured from it.</param>
    async Task InvokeAsync(Recorder stage, long? intended, long? eligible, int copy, bool releaseSlot)
    {
        try
        {
            var start = Clock.Now;
            stage.MarkStarted(start, eligible is { } e ? start - e : null);
            var context = new ScenarioContext(props.Name, Interlocked.Increment(ref invocations), copy, warmingUp, callsToken);
            Response response;
            try
            {
                response = await props.Run(context).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
            {
                response = Response.Fail(message: "cancelled at the end of the run");
            }
            catch (Exception ex)
            {
                response = Response.Fail(message: $"{ex.GetType().Name}: {ex.Message}");
            }
            stage.Record(response, intended ?? start, start, Clock.Now);
        }
        finally
        {
            if (releaseSlot) slots.Release();
            Interlocked.Decrement(ref inFlight);
        }
    }

    /// <summary>Waits for the calls still in flight; cancels them after the drain time and returns how many never finished.</summary>
    async Task<long> DrainAsync(CancellationTokenSource calls, CancellationToken cancellationToken)
    {
        Stage = warmingUp ? "warm-up (draining)" : "draining";
        var deadline = Clock.Now + Clock.Ticks(props.DrainTimeout);
        while (Volatile.Read(ref inFlight) > 0 && Clock.Now < deadline)
            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        if (Volatile.Read(ref inFlight) == 0) return 0;
        await calls.CancelAsync().ConfigureAwait(false);
        var grace = Clock.Now + Clock.Ticks(TimeSpan.FromSeconds(2));
        while (Volatile.Read(ref inFlight) > 0 && Clock.Now < grace)
            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        return Volatile.Read(ref inFlight);
    }
}
