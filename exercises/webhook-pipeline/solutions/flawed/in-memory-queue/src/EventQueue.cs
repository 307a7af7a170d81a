using StackExchange.Redis;

/// <summary>
/// The accounts' queues, the ids seen and the dead letters in this process's memory: fast, and atomic where it
/// matters (one lock), so simultaneous copies are queued once and an account is worked on by one worker at a time.
/// Redis is only connected for the health check.
/// </summary>
public sealed class EventQueue(IConnectionMultiplexer redis)
{
    /// <summary>How long a claim lasts without renewal.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(5);

    readonly object gate = new();
    readonly HashSet<string> seen = new(StringComparer.Ordinal);
    readonly HashSet<string> done = new(StringComparer.Ordinal);
    readonly Dictionary<string, LinkedList<string>> accounts = new(StringComparer.Ordinal);
    readonly Dictionary<string, (string Claim, DateTime Until)> owners = new(StringComparer.Ordinal);
    readonly Dictionary<string, DateTime> waiting = new(StringComparer.Ordinal);
    readonly Dictionary<string, DeadLetter> dead = new(StringComparer.Ordinal);

    public bool Connected => redis.IsConnected;

    public Task<bool> EnqueueIfNewAsync(IncomingEvent e, string body)
    {
        lock (gate)
        {
            if (!seen.Add(e.Id)) return Task.FromResult(false);
            if (!accounts.TryGetValue(e.Account, out var list)) accounts[e.Account] = list = new();
            list.AddLast(body);
            waiting[e.Id] = DateTime.UtcNow;
            return Task.FromResult(true);
        }
    }

    public Task<string[]> ClaimAsync(int count, string claim)
    {
        lock (gate)
        {
            var now = DateTime.UtcNow;
            var ready = accounts.Keys.Where(a => !owners.TryGetValue(a, out var o) || o.Until <= now).Take(count).ToArray();
            foreach (var account in ready) owners[account] = (claim, now + Lease);
            return Task.FromResult(ready);
        }
    }

    public Task<bool> RenewAsync(string account, string claim)
    {
        lock (gate)
        {
            if (!owners.TryGetValue(account, out var o) || o.Claim != claim) return Task.FromResult(false);
            owners[account] = (claim, DateTime.UtcNow + Lease);
            return Task.FromResult(true);
        }
    }

    public Task<string?> HeadAsync(string account)
    {
        lock (gate) return Task.FromResult(accounts.TryGetValue(account, out var list) && list.First is { } first ? first.Value : null);
    }

    public Task<bool> FinishAsync(string account, string claim, string? eventId)
    {
        lock (gate)
        {
            if (!owners.TryGetValue(account, out var o) || o.Claim != claim) return Task.FromResult(false);
            accounts.TryGetValue(account, out var list);
            if (eventId is not null && list is { Count: > 0 })
            {
                list.RemoveFirst();
                waiting.Remove(eventId);
            }
            if (list is null || list.Count == 0)
            {
                accounts.Remove(account);
                owners.Remove(account);
                return Task.FromResult(false);
            }
            return Task.FromResult(true);
        }
    }

    public Task<bool> IsDoneAsync(string id)
    {
        lock (gate) return Task.FromResult(done.Contains(id));
    }

    public Task MarkDoneAsync(string id)
    {
        lock (gate) done.Add(id);
        return Task.CompletedTask;
    }

    public Task DeadLetterAsync(string id, string reason)
    {
        lock (gate) dead[id] = new DeadLetter(id, reason);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<DeadLetter>> DeadLettersAsync()
    {
        lock (gate) return Task.FromResult<IReadOnlyList<DeadLetter>>(dead.Values.ToList());
    }

    public Task<PipelineMetrics> MetricsAsync()
    {
        lock (gate)
        {
            var lag = waiting.Count == 0 ? 0 : (long)(DateTime.UtcNow - waiting.Values.Min()).TotalMilliseconds;
            return Task.FromResult(new PipelineMetrics(waiting.Count, lag));
        }
    }
}

public sealed record DeadLetter(string Id, string Reason);

public sealed record PipelineMetrics(long QueueDepth, long ConsumerLagMs);
