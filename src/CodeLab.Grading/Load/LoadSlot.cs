namespace CodeLab.Grading;

/// <summary>
/// One load scenario at a time on this machine. Two grades that run at once (a grading server's workers)
/// would otherwise sometimes run their load scenarios together, and on a 2-core machine two load runs measure each
/// other: a correct service's p95 rose from 93 ms to 342 ms against a 250 ms bound when two idempotent-payments
/// senior grades reached their load phase in step. A grade's hidden tests and the rest of its world still run beside
/// another grade's load; only the load runs, the measurements that bound throughput and latency, wait for each other.
/// The judge asks for the slot ("load-begin") before each run of a scenario and gives it back after ("load-end");
/// the world gives it back when it is disposed, whatever the judge did. Waiting for it is not part of the run's
/// time limit.
/// </summary>
/// <remarks>
/// The slot is machine-wide: the process's own turn first (a semaphore, so its grades queue in order), then
/// <see cref="MachineLock"/> on <see cref="MachinePath"/>, which every grading process on the machine shares (the CLI,
/// the test suites CI runs beside its calibration, a deployment's worker processes). Processes that must share one
/// machine's slot need the same file: CODELAB_LOAD_SLOT names it (a volume shared by worker containers), else it is
/// codelab-load-slot in the temporary folder.
/// </remarks>
public static class LoadSlot
{
    static readonly SemaphoreSlim Slot = new(1, 1);
    static int waiting;

    /// <summary>The file whose lock is the machine's slot (CODELAB_LOAD_SLOT, else codelab-load-slot in the temporary folder).</summary>
    public static string MachinePath { get; } =
        Environment.GetEnvironmentVariable("CODELAB_LOAD_SLOT") is { Length: > 0 } path ? Path.GetFullPath(path) : Path.Combine(Path.GetTempPath(), "codelab-load-slot");

    /// <summary>Load runs waiting for the slot now (for tests and diagnostics).</summary>
    internal static int Waiting => Volatile.Read(ref waiting);

    /// <summary>Waits for the slot; dispose the lease to give it back (more than once is harmless).</summary>
    public static async Task<IDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref waiting);
        try
        {
            await Slot.WaitAsync(cancellationToken);
            try
            {
                return new Lease(await MachineLock.AcquireAsync(MachinePath, cancellationToken));
            }
            catch
            {
                Slot.Release();
                throw;
            }
        }
        finally
        {
            Interlocked.Decrement(ref waiting);
        }
    }

    sealed class Lease(IDisposable machine) : IDisposable
    {
        int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) != 0) return;
            machine.Dispose();
            Slot.Release();
        }
    }
}
