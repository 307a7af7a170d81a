using StackExchange.Redis;

/// <summary>
/// One dispatcher reads the consumer group and runs up to 8 entries at a time. On start-up it first takes over and
/// finishes whatever a previous process left pending.
/// </summary>
public sealed class StreamConsumer(EventStream stream, LedgerClient ledger, ILogger<StreamConsumer> log) : BackgroundService
{
    const string Consumer = "pipeline";
    const int Parallel = 8;
    const int Attempts = 5;
    readonly SemaphoreSlim slots = new(Parallel, Parallel);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        // Whatever a previous process read and did not acknowledge is taken over and run first. Pending entries are
        // read once, all together: reading "0" again would hand out the ones already running a second time.
        var leftovers = await UntilRedisAnswersAsync(async () =>
        {
            await stream.EnsureGroupAsync();
            var claimed = await stream.ClaimPendingAsync(Consumer, TimeSpan.Zero);
            if (claimed > 0) log.LogInformation("Took over {Count} pending event(s)", claimed);
            return await stream.ReadAsync(Consumer, pending: true, count: 100_000);
        }, stoppingToken);
        foreach (var entry in leftovers)
        {
            await slots.WaitAsync(stoppingToken);
            _ = RunAsync(entry, stoppingToken);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await slots.WaitAsync(stoppingToken);
                var entries = await stream.ReadAsync(Consumer, pending: false, count: slots.CurrentCount + 1);
                if (entries.Length == 0)
                {
                    slots.Release();
                    await Task.Delay(30, stoppingToken);
                    continue;
                }
                // One slot is ours already; the read asked for no more entries than there were free slots.
                for (var i = 1; i < entries.Length; i++) await slots.WaitAsync(stoppingToken);
                foreach (var entry in entries) _ = RunAsync(entry, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                log.LogWarning(ex, "Reading the stream failed");
                await Task.Delay(500, stoppingToken);
            }
        }
    }

    async Task<T> UntilRedisAnswersAsync<T>(Func<Task<T>> action, CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                return await action();
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                log.LogWarning(ex, "Redis is not answering yet");
                await Task.Delay(500, stoppingToken);
            }
        }
    }

    async Task RunAsync(StreamEntry entry, CancellationToken stoppingToken)
    {
        try
        {
            if (IncomingEvent.Parse(entry["body"].ToString()) is { } e) await HandleAsync(e, stoppingToken);
            await stream.AcknowledgeAsync(entry.Id);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // Left pending: the next start-up takes it over.
            log.LogWarning(ex, "Event {Entry} left pending", entry.Id);
        }
        finally
        {
            slots.Release();
        }
    }

    async Task HandleAsync(IncomingEvent e, CancellationToken stoppingToken)
    {
        string last = "";
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            if (await stream.IsBookedAsync(e.Id)) return;
            var (outcome, detail) = await ledger.RecordAsync(e, stoppingToken);
            switch (outcome)
            {
                case LedgerOutcome.Recorded:
                    await stream.BookedAsync(e.Id);
                    return;
                case LedgerOutcome.Refused:
                    await stream.DeadLetterAsync(e.Id, detail);
                    return;
            }
            last = $"{Attempts} attempts failed, the last with {detail}";
            if (attempt < Attempts)
                await Task.Delay(TimeSpan.FromMilliseconds(100 * (1 << (attempt - 1)) + Random.Shared.Next(0, 50)), stoppingToken);
        }
        await stream.DeadLetterAsync(e.Id, last);
    }
}
