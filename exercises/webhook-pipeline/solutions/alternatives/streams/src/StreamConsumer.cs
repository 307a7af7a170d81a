using StackExchange.Redis;

/// <summary>
/// Each replica takes the leases of up to <see cref="MaxPartitions"/> partitions (half of them, so two replicas
/// share the work), and any partition that stayed without a holder for 3 s beyond that (no other replica, or its
/// holder died and the lease ran out), and runs one
/// loop per partition it holds: entries one at a time, in order. Leases are renewed every second; a partition whose
/// lease this process lost is given up after its current entry. A partition taken over from a dead consumer starts
/// with that consumer's pending entries.
/// </summary>
public sealed class StreamConsumer(EventStream stream, LedgerClient ledger, ILogger<StreamConsumer> log) : BackgroundService
{
    const int MaxPartitions = EventStream.Partitions / 2;
    const int Attempts = 5;
    static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(100);
    readonly string consumer = "c-" + Guid.NewGuid().ToString("N");
    readonly Dictionary<int, Task> held = [];
    readonly Dictionary<int, System.Diagnostics.Stopwatch> freeSince = [];
    static readonly TimeSpan Unclaimed = TimeSpan.FromSeconds(3);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        await UntilRedisAnswersAsync(async () => { await stream.EnsureGroupsAsync(); return true; }, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var (partition, loop) in held.ToList())
                    if (loop.IsCompleted) held.Remove(partition);
                for (var partition = 0; partition < EventStream.Partitions; partition++)
                {
                    if (held.ContainsKey(partition)) continue;
                    if (held.Count >= MaxPartitions)
                    {
                        // Our share is taken: a partition nobody held for a while (no other replica, or it died) is taken too.
                        if (await stream.IsLeasedAsync(partition)) { freeSince.Remove(partition); continue; }
                        if (!freeSince.TryGetValue(partition, out var since)) freeSince[partition] = since = System.Diagnostics.Stopwatch.StartNew();
                        if (since.Elapsed < Unclaimed) continue;
                    }
                    if (!await stream.TryLeaseAsync(partition, consumer)) continue;
                    freeSince.Remove(partition);
                    held[partition] = RunPartitionAsync(partition, stoppingToken);
                }
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                log.LogWarning(ex, "Taking partitions failed");
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

    async Task RunPartitionAsync(int partition, CancellationToken stoppingToken)
    {
        await Task.Yield();
        var renewed = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            // Whatever a previous holder read and did not acknowledge comes first, in stream order.
            await stream.ClaimPendingAsync(partition, consumer);
            // Entries are acknowledged one by one, so once the taken-over ones are done nothing of ours is pending.
            var pending = true;
            while (!stoppingToken.IsCancellationRequested)
            {
                if (renewed.Elapsed >= TimeSpan.FromSeconds(1))
                {
                    if (!await stream.RenewAsync(partition, consumer)) return;
                    renewed.Restart();
                }
                if (await stream.NextAsync(partition, consumer, pending) is not { } entry)
                {
                    if (pending) pending = false;
                    else await Task.Delay(IdlePoll, stoppingToken);
                    continue;
                }
                // Renewed while the entry is worked on: retries with backoff can take several seconds.
                using var renewing = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var keeper = KeepLeaseAsync(partition, renewing.Token);
                try
                {
                    if (IncomingEvent.Parse(entry.Values.FirstOrDefault(v => v.Name == "body").Value.ToString()) is { } e)
                        await HandleAsync(e, stoppingToken);
                }
                finally
                {
                    renewing.Cancel();
                    try { await keeper; } catch (OperationCanceledException) { }
                }
                await stream.AcknowledgeAsync(partition, entry.Id);
            }
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // The entry stays pending and the lease runs out: the partition is taken over and the entry claimed.
            log.LogWarning(ex, "Partition {Partition} stopped", partition);
        }
    }

    async Task KeepLeaseAsync(int partition, CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            try { await stream.RenewAsync(partition, consumer); }
            catch (Exception ex) when (ex is RedisException or TimeoutException) { log.LogWarning(ex, "Renewing partition {Partition} failed", partition); }
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
