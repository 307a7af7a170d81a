using System.Diagnostics;
using Xunit;

namespace Throttling.Tests;

/// <summary>
/// Races made visible: threads released together by a barrier, round after round for a fixed wall-clock window,
/// so a check-then-act race shows on every run rather than once in a while.
/// </summary>
internal static class ParallelCallers
{
    public const int Threads = 8;
    static readonly TimeSpan Window = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Runs <paramref name="round"/> again and again for the window (at least 5 times); a round returns what went
    /// wrong in words, or null. Fails the test with the first failure seen.
    /// </summary>
    public static void EveryRoundRight(Func<int, string?> round)
    {
        var clock = Stopwatch.StartNew();
        for (var number = 1; number <= 5 || clock.Elapsed < Window; number++)
        {
            var failure = round(number);
            if (failure is not null) Assert.Fail($"round {number}: {failure}");
        }
    }

    /// <summary>Starts <see cref="Threads"/> threads that run <paramref name="work"/> at the same instant; waits for all.</summary>
    public static void Together(Action<int> work)
    {
        using var start = new Barrier(Threads);
        Exception? thrown = null;
        var threads = Enumerable.Range(0, Threads).Select(index => new Thread(() =>
        {
            start.SignalAndWait();
            try { work(index); }
            catch (Exception ex) { Interlocked.CompareExchange(ref thrown, ex, null); }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        if (thrown is not null)
            throw new InvalidOperationException($"a parallel caller got {thrown.GetType().Name}: {thrown.Message}");
    }
}
