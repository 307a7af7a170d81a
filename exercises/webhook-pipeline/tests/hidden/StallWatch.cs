using System.Diagnostics;

namespace WebhookPipeline.Tests;

/// <summary>
/// Measures how long the judge itself could not run: a timer that asks to wake every 20 ms and records the longest
/// it overslept. A long stall means the grading machine starved the judge while it measured, so a shortfall seen
/// meanwhile says nothing about the service (the test then reports itself inconclusive instead of failing).
/// </summary>
internal sealed class StallWatch : IDisposable
{
    readonly CancellationTokenSource stop = new();
    readonly Task loop;
    long longestTicks;

    public StallWatch() => loop = Task.Run(async () =>
    {
        var step = TimeSpan.FromMilliseconds(20);
        while (!stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            try { await Task.Delay(step, stop.Token); } catch (OperationCanceledException) { return; }
            var overslept = Stopwatch.GetElapsedTime(started) - step;
            if (overslept.Ticks > Interlocked.Read(ref longestTicks)) Interlocked.Exchange(ref longestTicks, overslept.Ticks);
        }
    });

    public TimeSpan Longest => TimeSpan.FromTicks(Interlocked.Read(ref longestTicks));

    public void Dispose()
    {
        stop.Cancel();
        try { loop.Wait(); } catch (AggregateException) { }
        stop.Dispose();
    }
}
