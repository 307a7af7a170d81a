namespace CodeLab.Load.Execution;

/// <summary>
/// Carries out an <see cref="OpenPhase"/> (Inject, RampingInject): a dedicated thread starts each call when the
/// schedule says; calls run on the thread pool, so the schedule never waits for responses, only for the in-flight cap.
/// </summary>
internal sealed class OpenModelRunner(ScenarioCalls calls, string scenarioName)
{
    long lastCapRelease;

    /// <param name="start">The phase's start on the ideal timeline (stopwatch ticks).</param>
    public Task RunAsync(OpenPhase phase, long start, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Dispatch(phase, start, cancellationToken);
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
        { IsBackground = true, Name = $"codelab-load {scenarioName}" };
        thread.Start();
        return done.Task;
    }

    void Dispatch(OpenPhase phase, long start, CancellationToken cancellationToken)
    {
        var count = phase.Count;
        for (long k = 0; k < count; k++)
        {
            var intended = start + Clock.Ticks(phase.ArrivalSeconds(k));
            WaitUntil(intended, cancellationToken);
            StartCall(intended, cancellationToken);
        }
        WaitUntil(start + Clock.Ticks(phase.Seconds), cancellationToken);
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

    void StartCall(long intended, CancellationToken cancellationToken)
    {
        if (calls.TakeSlot(cancellationToken)) lastCapRelease = Clock.Now;
        var eligible = intended;
        var recorder = calls.Recorder;
        if (lastCapRelease > intended)
        {
            // The cap, not the generator, held this call back: the wait counts in its latency, not in generator lag.
            eligible = lastCapRelease;
            recorder.LateStart();
        }
        calls.Launching();
        ThreadPool.UnsafeQueueUserWorkItem(new Call(calls, recorder, intended, eligible), preferLocal: false);
    }

    sealed class Call(ScenarioCalls calls, Recorder recorder, long intended, long eligible) : IThreadPoolWorkItem
    {
        public void Execute() => _ = calls.InvokeAsync(recorder, intended, eligible, copy: -1, releaseSlot: true);
    }
}
