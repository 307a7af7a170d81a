namespace CodeLab.Judge;

/// <summary>
/// Acts on the grade's world from a hidden test: restart a replica of the candidate's service, stop or start Redis.
/// The grader does the work (the judge has no access to the container engine) and answers when it is done.
/// Only available in the grader's judge container.
/// </summary>
public static class Control
{
    static Func<string, CancellationToken, Task>? send;

    /// <summary>Called by the sandbox runner: how commands reach the grader.</summary>
    public static void Connect(Func<string, CancellationToken, Task> sender) => send = sender;

    /// <summary>Kills replica <paramref name="replica"/> (1-based) and starts it again, then waits until it is ready.</summary>
    public static async Task RestartServiceAsync(int replica = 1, CancellationToken cancellationToken = default)
    {
        await SendAsync($"restart-service {replica}", cancellationToken);
        await WaitUntilReadyAsync(replica, TimeSpan.FromSeconds(30), cancellationToken);
    }

    /// <summary>Stops Redis (its name still resolves, its port refuses connections) until <see cref="StartRedisAsync"/>.</summary>
    public static Task StopRedisAsync(CancellationToken cancellationToken = default) => SendAsync("stop-redis", cancellationToken);

    /// <summary>Starts Redis again, empty (it keeps nothing across a stop), and returns once it accepts connections.</summary>
    public static Task StartRedisAsync(CancellationToken cancellationToken = default) => SendAsync("start-redis", cancellationToken);

    /// <summary>
    /// A command the grader could not carry out (the container engine failed, or did not answer in time) says nothing
    /// about the submission: the test is inconclusive, the attempt is graded again in a fresh world, never scored.
    /// </summary>
    static async Task SendAsync(string command, CancellationToken cancellationToken)
    {
        if (send is not { } s)
            throw new InvalidOperationException($"'{command}' needs the grader: world control is only available in the grader's judge container.");
        try
        {
            await s(command, cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            throw new CodeLab.Verdicts.InconclusiveException($"The grader could not act on the grade's world, so this test measured nothing: {ex.Message}", ex);
        }
    }

    static async Task WaitUntilReadyAsync(int replica, TimeSpan limit, CancellationToken cancellationToken)
    {
        var client = Service.Replicas[replica - 1];
        var path = JudgeEnvironment.Get(JudgeEnvironment.ReadyPath, "/health");
        var waited = System.Diagnostics.Stopwatch.StartNew();
        string last = "no answer yet";
        while (waited.Elapsed < limit)
        {
            try
            {
                using var response = await client.GetAsync(path, cancellationToken);
                if (response.IsSuccessStatusCode) return;
                last = $"HTTP {(int)response.StatusCode}";
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }
            await Task.Delay(100, cancellationToken);
        }
        throw new TimeoutException($"Replica {replica} was not ready {limit.TotalSeconds:0} s after its restart ({path}: {last}).");
    }
}
