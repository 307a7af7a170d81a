/// <summary>
/// Background workers: each takes an event from the queue (it stays in the processing list until finished, so a
/// crash cannot lose it), calls the ledger with retries and exponential backoff, and records the outcome.
/// </summary>
public sealed class EventWorker(EventQueue queue, LedgerClient ledger, ILogger<EventWorker> log) : BackgroundService
{
    const int Workers = 8;
    const int MaxAttempts = 5;
    static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(100);
    static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(25);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Whatever a previous run of this service had taken but not finished goes back to the queue first.
        var reclaimed = await RetryRedisAsync(() => queue.ReclaimAsync(), stoppingToken);
        if (reclaimed > 0) log.LogInformation("Reclaimed {Count} unfinished event(s)", reclaimed);
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => RunAsync(stoppingToken)));
    }

    async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await queue.TakeAsync() is not { } body)
                {
                    await Task.Delay(IdlePoll, stoppingToken);
                    continue;
                }
                await ProcessAsync(body, stoppingToken);
                await queue.FinishAsync(body);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Redis unreachable: the event (if any) is still in the processing list; try again shortly.
                log.LogWarning(ex, "Worker loop failed; retrying");
                await Task.Delay(TimeSpan.FromMilliseconds(500), stoppingToken);
            }
        }
    }

    async Task ProcessAsync(string body, CancellationToken stoppingToken)
    {
        if (IncomingEvent.Parse(body) is not { } e) return;
        var reason = "";
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            // Done before (a crash after our record and before FinishAsync): nothing more to do.
            if (await queue.IsDoneAsync(e.Id)) return;
            var (outcome, detail) = await ledger.RecordAsync(e, stoppingToken);
            if (outcome == LedgerOutcome.Recorded)
            {
                await queue.MarkDoneAsync(e.Id);
                return;
            }
            reason = $"attempt {attempt}: {detail}";
            if (outcome == LedgerOutcome.Refused) break;
            if (attempt < MaxAttempts) await Task.Delay(FirstBackoff * Math.Pow(2, attempt - 1), stoppingToken);
        }
        await queue.DeadLetterAsync(e.Id, reason);
    }

    static async Task<T> RetryRedisAsync<T>(Func<Task<T>> action, CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                return await action();
            }
            catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), stoppingToken);
            }
        }
    }
}
