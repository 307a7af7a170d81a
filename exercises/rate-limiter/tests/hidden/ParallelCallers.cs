using System.Diagnostics;
using Xunit;

namespace Throttling.Tests;

/// <summary>
/// Races made visible: the same threads are released together by a barrier, round after round for a fixed
/// wall-clock window, so a check-then-act race shows on every run rather than once in a while. A round must keep
/// its threads busy for tens of milliseconds (a short burst of calls finishes inside one time slice and two
/// threads never truly overlap on a 2-core machine), so rounds drain large buckets rather than small ones.
/// </summary>
internal static class ParallelCallers
{
    public const int Threads = 4;
    static readonly TimeSpan Window = TimeSpan.FromMilliseconds(250);
    const int MinRounds = 3;

    /// <summary>
    /// Each round: <paramref name="setup"/> makes fresh state, <see cref="Threads"/> threads run
    /// <paramref name="work"/> on it at the same instant, then <paramref name="check"/> says what went wrong in
    /// words, or null. Fails the test with the first wrong round.
    /// </summary>
    public static void EveryRoundRight<TState>(Func<int, TState> setup, Action<TState, int> work, Func<TState, string?> check)
    {
        using var barrier = new Barrier(Threads + 1);
        var state = default(TState)!;
        var stop = false;
        Exception? thrown = null;
        var threads = Enumerable.Range(0, Threads).Select(index => new Thread(() =>
        {
            while (true)
            {
                barrier.SignalAndWait(); // round starts
                if (Volatile.Read(ref stop)) return;
                try { work(state, index); }
                catch (Exception ex) { Interlocked.CompareExchange(ref thrown, ex, null); }
                barrier.SignalAndWait(); // round done
            }
        }) { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());

        string? failure = null;
        var clock = Stopwatch.StartNew();
        try
        {
            for (var round = 1; failure is null && (round <= MinRounds || clock.Elapsed < Window); round++)
            {
                state = setup(round);
                barrier.SignalAndWait();
                barrier.SignalAndWait();
                if (thrown is not null) failure = $"round {round}: a parallel caller got {thrown.GetType().Name}: {thrown.Message}";
                else if (check(state) is { } wrong) failure = $"round {round}: {wrong}";
            }
        }
        finally
        {
            Volatile.Write(ref stop, true);
            barrier.SignalAndWait();
            threads.ForEach(t => t.Join());
        }
        if (failure is not null) Assert.Fail(failure);
    }
}
