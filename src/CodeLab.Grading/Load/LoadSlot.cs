namespace CodeLab.Grading;

/// <summary>
/// One load scenario at a time in this grading process. Two grades that run at once (a grading server's workers)
/// would otherwise sometimes run their load scenarios together, and on a 2-core machine two load runs measure each
/// other: a correct service's p95 rose from 93 ms to 342 ms against a 250 ms bound when two idempotent-payments
/// senior grades reached their load phase in step. A grade's hidden tests and the rest of its world still run beside
/// another grade's load; only the load runs, the measurements that bound throughput and latency, wait for each other.
/// The judge asks for the slot ("load-begin") before each run of a scenario and gives it back after ("load-end");
/// the world gives it back when it is disposed, whatever the judge did. Waiting for it is not part of the run's
/// time limit.
/// </summary>
/// <remarks>
/// The slot is per process: one grading process per machine (CLI, web app with in-process workers). A deployment
/// with several worker processes on one machine needs a machine-wide slot behind the same two calls.
/// </remarks>
public static class LoadSlot
{
    static readonly SemaphoreSlim Slot = new(1, 1);
    static int waiting;

    /// <summary>Load runs waiting for the slot now (for tests and diagnostics).</summary>
    internal static int Waiting => Volatile.Read(ref waiting);

    /// <summary>Waits for the slot; dispose the lease to give it back (more than once is harmless).</summary>
    public static async Task<IDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref waiting);
        try
        {
            await Slot.WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref waiting);
        }
        return new Lease();
    }

    sealed class Lease : IDisposable
    {
        int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0) Slot.Release();
        }
    }
}
