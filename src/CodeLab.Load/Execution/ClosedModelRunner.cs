namespace CodeLab.Load.Execution;

/// <summary>
/// Carries out a <see cref="ClosedPhase"/> (KeepConstant, RampingConstant, IterationsForConstant): copies that each
/// start their next call when the previous one returns. No schedule, so latency and uncorrected latency agree.
/// </summary>
internal sealed class ClosedModelRunner(ScenarioCalls calls)
{
    /// <param name="start">The phase's start on the ideal timeline (stopwatch ticks); a phase of iterations starts now.</param>
    /// <returns>Where the next phase starts on the ideal timeline.</returns>
    public async Task<long> RunAsync(ClosedPhase phase, long start, CancellationToken cancellationToken)
    {
        if (phase.During is null) start = Clock.Now;
        var end = phase.During is { } d ? start + Clock.Ticks(d) : long.MaxValue;
        var stage = calls.Recorder;
        var desired = phase.CopiesAt(0);
        long issued = 0;
        var copies = new List<Task>();

        async Task CopyAsync(int index)
        {
            var sameThread = 0;
            while (!cancellationToken.IsCancellationRequested && Clock.Now < end && index < Volatile.Read(ref desired))
            {
                if (phase.Iterations is { } limit && Interlocked.Increment(ref issued) > limit) break;
                calls.Launching();
                var call = calls.InvokeAsync(stage, null, null, index, releaseSlot: false);
                if (!call.IsCompleted) await call.ConfigureAwait(false);
                else if (++sameThread % 64 == 0) await Task.Yield();
            }
        }

        for (var i = 0; i < desired; i++)
        {
            var index = i;
            copies.Add(Task.Run(() => CopyAsync(index), CancellationToken.None));
        }
        if (phase.During is not { } span)
        {
            await Task.WhenAll(copies).ConfigureAwait(false);
            return Clock.Now;
        }

        var spawned = desired;
        while (Clock.Now < end)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(50, Math.Max(1, Clock.Seconds(end - Clock.Now) * 1000))), cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref desired, phase.CopiesAt(Clock.Seconds(Clock.Now - start) / span.TotalSeconds));
            for (; spawned < desired; spawned++)
            {
                var index = spawned;
                copies.Add(Task.Run(() => CopyAsync(index), CancellationToken.None));
            }
        }
        // The copies finish the call they are making on their own; the next phase starts on time.
        return end;
    }
}
