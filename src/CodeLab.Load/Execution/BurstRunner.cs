namespace CodeLab.Load.Execution;

/// <summary>Carries out a <see cref="BurstPhase"/>: every call waits at one gate, which opens once all of them hold a slot.</summary>
internal sealed class BurstRunner(ScenarioCalls calls)
{
    public void Release(BurstPhase phase, CancellationToken cancellationToken)
    {
        var gate = new Gate();
        var stage = calls.Recorder;
        for (var i = 0; i < phase.Count; i++)
        {
            calls.TakeSlot(cancellationToken);
            calls.Launching();
            _ = CallAsync(gate, stage);
        }
        gate.Released = Clock.Now;
        gate.Open.SetResult();
    }

    async Task CallAsync(Gate gate, Recorder stage)
    {
        await gate.Open.Task.ConfigureAwait(false);
        await calls.InvokeAsync(stage, gate.Released, gate.Released, copy: -1, releaseSlot: true).ConfigureAwait(false);
    }

    sealed class Gate
    {
        // Each waiting call continues on its own thread-pool work item, so all of them are released together.
        public readonly TaskCompletionSource Open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public long Released;
    }
}
