using System.Diagnostics;

namespace CodeLab.Judge;

/// <summary>
/// The grader's own Redis round trips while a test's requests run: a PING every 20 ms on a connection of its own, and
/// the slowest answer. When a service answers without Redis while Redis runs, this tells a machine on which Redis was
/// slow for everyone (the grader's own round trips were slow too: the run proves nothing) from a service that did not
/// wait for a Redis that answered the grader at once.
/// </summary>
public sealed class RedisRoundTrips : IAsyncDisposable
{
    static readonly TimeSpan Every = TimeSpan.FromMilliseconds(20);

    readonly CancellationTokenSource stop = new();
    readonly Task loop;
    long slowestTicks;
    int failed;

    RedisRoundTrips(RedisProbe probe) => loop = Task.Run(() => PingAsync(probe));

    /// <summary>Starts pinging at once.</summary>
    public static RedisRoundTrips Start(RedisProbe probe) => new(probe);

    /// <summary>The slowest round trip so far, of the PINGs that were answered.</summary>
    public TimeSpan Slowest => TimeSpan.FromTicks(Interlocked.Read(ref slowestTicks));

    /// <summary>PINGs that got no answer (Redis unreachable, or none within the probe's time-out).</summary>
    public int Failed => Volatile.Read(ref failed);

    /// <summary>Whether Redis was slower than <paramref name="bound"/> for the grader itself at least once, or did not answer it.</summary>
    public bool SlowerThan(TimeSpan bound) => Failed > 0 || Slowest > bound;

    /// <summary>Stops pinging; a PING under way is waited for, so it counts.</summary>
    public async Task StopAsync()
    {
        if (!stop.IsCancellationRequested) await stop.CancelAsync();
        await loop;
    }

    async Task PingAsync(RedisProbe probe)
    {
        while (!stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await probe.CommandAsync("PING");
                var took = Stopwatch.GetElapsedTime(started).Ticks;
                long seen;
                while (took > (seen = Interlocked.Read(ref slowestTicks)) && Interlocked.CompareExchange(ref slowestTicks, took, seen) != seen) { }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Interlocked.Increment(ref failed);
            }
            try
            {
                await Task.Delay(Every, stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        stop.Dispose();
    }
}
