namespace CodeLab.Judge;

/// <summary>A fake started on first use at <see cref="FakeHosting.Url"/> and kept for the whole judge run.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Held in static fields for the judge's whole run; the semaphore never needs disposing.")]
internal sealed class SharedFake<T>(Func<string, CancellationToken, Task<T>> start) where T : class
{
    readonly SemaphoreSlim gate = new(1, 1);
    T? started;

    public async Task<T> GetAsync()
    {
        if (Volatile.Read(ref started) is { } ready) return ready;
        await gate.WaitAsync();
        try
        {
            return started ??= await start(FakeHosting.Url, CancellationToken.None);
        }
        finally
        {
            gate.Release();
        }
    }
}
