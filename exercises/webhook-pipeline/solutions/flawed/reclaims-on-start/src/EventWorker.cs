/// <summary>
/// Each replica claims accounts that have events, up to <see cref="Workers"/> at a time, and works through each
/// claimed account's events in order, one at a time: call the ledger with retries and exponential backoff, record
/// the outcome, remove the event. The claim is renewed while the account is worked on; a replica that dies leaves
/// its accounts to be claimed again when their leases run out, the unfinished event still first in line.
/// </summary>
public sealed class EventWorker(EventQueue queue, LedgerClient ledger, ILogger<EventWorker> log) : BackgroundService
{
    const int Workers = 8;
    const int MaxAttempts = 5;
    static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(100);
    static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(25);
    static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(1);
    readonly string process = Guid.NewGuid().ToString("N");
    readonly SemaphoreSlim slots = new(Workers, Workers);
    long claims;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        // Whatever a previous run of this service had claimed and not finished is taken back first, without
        // waiting for its leases to run out.
        try
        {
            var reclaimed = await queue.ReclaimAllAsync();
            if (reclaimed > 0) log.LogInformation("Reclaimed {Count} account(s)", reclaimed);
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            log.LogWarning(ex, "Reclaiming failed");
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await slots.WaitAsync(stoppingToken);
                var claim = $"{process}:{Interlocked.Increment(ref claims)}";
                var accounts = await queue.ClaimAsync(slots.CurrentCount + 1, claim);
                if (accounts.Length == 0)
                {
                    slots.Release();
                    await Task.Delay(IdlePoll, stoppingToken);
                    continue;
                }
                // One slot is ours already; the claim asked for no more accounts than there were free slots.
                for (var i = 1; i < accounts.Length; i++) await slots.WaitAsync(stoppingToken);
                foreach (var account in accounts) _ = WorkAsync(account, claim, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Redis unreachable: whatever was claimed is left to its lease; try again shortly.
                log.LogWarning(ex, "Claiming accounts failed; retrying");
                await Task.Delay(TimeSpan.FromMilliseconds(500), stoppingToken);
            }
        }
    }

    async Task WorkAsync(string account, string claim, CancellationToken stoppingToken)
    {
        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var renewal = RenewAsync(account, claim, renewing.Token);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var body = await queue.HeadAsync(account);
                var e = body is null ? null : IncomingEvent.Parse(body);
                if (e is not null) await ProcessAsync(e, stoppingToken);
                // No head: let the account go (unless an event arrived meanwhile). An unreadable one is dropped.
                if (!await queue.FinishAsync(account, claim, body is null ? null : e?.Id ?? "-"))
                    break;
            }
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // Left to the lease: the account is claimed again when it runs out.
            log.LogWarning(ex, "Working on account {Account} failed", account);
        }
        finally
        {
            renewing.Cancel();
            try { await renewal; } catch (OperationCanceledException) { }
            slots.Release();
        }
    }

    async Task RenewAsync(string account, string claim, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(RenewEvery, cancellationToken);
            try
            {
                if (!await queue.RenewAsync(account, claim)) return;
            }
            catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
            {
                log.LogWarning(ex, "Renewing the claim on {Account} failed", account);
            }
        }
    }

    async Task ProcessAsync(IncomingEvent e, CancellationToken stoppingToken)
    {
        var reason = "";
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            // Done before (a crash after our record and before the event was removed): nothing more to do.
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
}
