using System.Diagnostics;
using Xunit;

namespace Throttling.Tests;

/// <summary>
/// Races made visible. The same threads are released together by a barrier, round after round, and each round keeps
/// them busy for tens of milliseconds. A race needs threads truly running at the same time, which a busy machine may
/// not give for a while, so the harness measures how much real contention it got: as each round starts and beside
/// every call, each thread bumps a shared counter without synchronisation (a canary), and updates the canary loses
/// prove the threads were interleaving. The bumps at the start of a round do not depend on the code under test, so
/// a correct solution that serialises its callers (one lock) still shows that the machine ran the threads together. Rounds go on until enough contention was seen (or a generous cap), so a racy solution is caught on
/// a quiet machine and on a noisy one alike, and a correct one is not slowed down more than needed. A run that never
/// saw the threads interleave proved nothing: it is inconclusive (the grader grades again, then reports an error), neither a pass nor a failure.
/// </summary>
internal static class ParallelCallers
{
    public const int Threads = 4;
    static readonly TimeSpan MinWindow = TimeSpan.FromMilliseconds(150);
    static readonly TimeSpan MaxWindow = TimeSpan.FromSeconds(5);
    const long ContentionWanted = 1_000;

    /// <summary>Lost canary updates below which the run cannot have raced anything: the threads barely overlapped.</summary>
    const long ContentionNeeded = 20;

    sealed class Canary
    {
        public long Value;

        /// <summary>A read and a write apart (never hoisted out of a loop): simultaneous bumps lose updates.</summary>
        public void Bump() => Volatile.Write(ref Value, Volatile.Read(ref Value) + 1);
    }

    /// <summary>Canary bumps each thread makes as a round starts, before it calls the code under test.</summary>
    const int StartBumps = 2_000;

    /// <summary>
    /// Each round: <paramref name="setup"/> makes fresh state; <see cref="Threads"/> threads run
    /// <paramref name="work"/> on it at the same instant, calling <c>tick</c> after every call they make; then
    /// <paramref name="check"/> says what went wrong in words, or null. Fails the test with the first wrong round.
    /// </summary>
    public static void EveryRoundRight<TState>(Func<int, TState> setup, Action<TState, Action> work, Func<TState, string?> check)
    {
        using var barrier = new Barrier(Threads + 1);
        var state = default(TState)!;
        var canary = new Canary();
        var calls = new long[Threads];
        var stop = false;
        Exception? thrown = null;
        var threads = Enumerable.Range(0, Threads).Select(index => new Thread(() =>
        {
            while (true)
            {
                barrier.SignalAndWait(); // round starts
                if (Volatile.Read(ref stop)) return;
                long mine = StartBumps;
                for (var i = 0; i < StartBumps; i++) canary.Bump();
                try { work(state, () => { mine++; canary.Bump(); }); }
                catch (Exception ex) { Interlocked.CompareExchange(ref thrown, ex, null); }
                calls[index] += mine;
                barrier.SignalAndWait(); // round done
            }
        }) { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());

        string? failure = null;
        long contention = 0;
        var clock = Stopwatch.StartNew();
        try
        {
            for (var round = 1; failure is null; round++)
            {
                state = setup(round);
                barrier.SignalAndWait();
                barrier.SignalAndWait();
                if (thrown is not null) failure = $"round {round}: a parallel caller got {thrown.GetType().Name}: {thrown.Message}";
                else if (check(state) is { } wrong) failure = $"round {round}: {wrong}";
                contention = calls.Sum() - Volatile.Read(ref canary.Value);
                if (clock.Elapsed >= MaxWindow || (clock.Elapsed >= MinWindow && contention >= ContentionWanted)) break;
            }
        }
        finally
        {
            Volatile.Write(ref stop, true);
            barrier.SignalAndWait();
            threads.ForEach(t => t.Join());
        }
        if (failure is not null) Assert.Fail(failure);
        if (contention < ContentionNeeded)
            throw new CodeLab.Verdicts.InconclusiveException($"in {clock.Elapsed.TotalSeconds:0.#} s the {Threads} threads lost only {contention} unsynchronised updates, " +
                        "so they hardly ran at the same time and no race could show: the grading machine was starved, not the submission at fault");
    }
}
