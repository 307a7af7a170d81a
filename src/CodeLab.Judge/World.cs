namespace CodeLab.Judge;

/// <summary>
/// The trusted fakes of a grade, started on first use inside the judge container and kept for the whole run.
/// The candidate's service reaches them through the judge's network aliases (for example http://provider:9090).
/// </summary>
public static class World
{
    static readonly SemaphoreSlim gate = new(1, 1);
    static PaymentProviderFake? provider;

    public static async Task<PaymentProviderFake> PaymentProviderAsync()
    {
        if (Volatile.Read(ref provider) is { } started) return started;
        await gate.WaitAsync();
        try
        {
            var port = JudgeEnvironment.Get(JudgeEnvironment.FakesPort, "9090");
            return provider ??= await PaymentProviderFake.StartAsync($"http://0.0.0.0:{port}", CancellationToken.None);
        }
        finally
        {
            gate.Release();
        }
    }
}
