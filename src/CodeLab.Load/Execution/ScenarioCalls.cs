namespace CodeLab.Load.Execution;

/// <summary>
/// What every load model shares: the in-flight cap, the number of calls in flight, the invocation numbers of the
/// current stage (warm-up or measurement) and one call's life, from its start to its result in the stage's recorder.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "A SemaphoreSlim holds no kernel handle unless its AvailableWaitHandle is read, which nothing here does.")]
internal sealed class ScenarioCalls(ScenarioProps props)
{
    readonly SemaphoreSlim slots = new(props.MaxInFlight, props.MaxInFlight);
    long invocations;
    int inFlight;
    bool warmingUp;
    CancellationToken callsToken;

    /// <summary>Where the current stage's calls land.</summary>
    public Recorder Recorder { get; private set; } = new(Clock.Now);

    public int InFlight => Volatile.Read(ref inFlight);

    /// <param name="stageCalls">Cancelled when the stage's drain time runs out; every call of the stage sees it.</param>
    public void BeginStage(Recorder recorder, bool warmUp, CancellationToken stageCalls)
    {
        Recorder = recorder;
        warmingUp = warmUp;
        callsToken = stageCalls;
        invocations = 0;
    }

    /// <summary>Takes an in-flight slot; true when the cap was reached and this had to wait for one.</summary>
    public bool TakeSlot(CancellationToken cancellationToken)
    {
        if (slots.Wait(0, cancellationToken)) return false;
        slots.Wait(cancellationToken);
        return true;
    }

    /// <summary>Counts a call in flight before it is handed to the thread pool, so a drain never misses it.</summary>
    public void Launching() => Interlocked.Increment(ref inFlight);

    /// <param name="intended">When the schedule wanted the call; null in a closed model (it is the actual start).</param>
    /// <param name="eligible">When the call could have started at the earliest (after the in-flight cap); lag is measured from it.</param>
    /// <param name="releaseSlot">True for calls that took a slot (<see cref="TakeSlot"/>).</param>
    public async Task InvokeAsync(Recorder stage, long? intended, long? eligible, int copy, bool releaseSlot)
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
}
