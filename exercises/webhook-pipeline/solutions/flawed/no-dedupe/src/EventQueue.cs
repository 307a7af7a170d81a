using System.Text.Json;
using StackExchange.Redis;

/// <summary>
/// Events wait in Redis, one list per account ("webhooks:account:{account}", oldest first), so an account's events
/// stay in the order they were acknowledged. "webhooks:accounts" is a sorted set of the accounts that have events,
/// scored by the time (Redis's clock, ms) from which a worker may claim the account: 0 for a free account, the end of
/// its lease for an owned one; "webhooks:owners" says which claim owns it. A worker owns an account while it works
/// on it and renews its lease; a worker that dies stops renewing, and the account is claimed again once the lease ran
/// out, its unfinished event still at the head of the list. Any number of replicas compete for accounts this way:
/// one account is worked on by one worker at a time, different accounts in parallel.
/// "webhooks:seen:{id}" (7 days) makes a redelivery a no-op; "webhooks:done:{id}" (7 days) records the effect;
/// "webhooks:waiting" holds every unfinished event with the time it was acknowledged (for /metrics);
/// "webhooks:dead" is the dead-letter hash (id -> reason).
/// </summary>
public sealed class EventQueue(IConnectionMultiplexer redis)
{
    const string Accounts = "webhooks:accounts";
    const string Owners = "webhooks:owners";
    const string Waiting = "webhooks:waiting";
    const string Dead = "webhooks:dead";
    static readonly TimeSpan Remember = TimeSpan.FromDays(7);

    /// <summary>How long a claim lasts without renewal: the longest an account waits after its worker died.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(5);

    static RedisKey AccountKey(string account) => "webhooks:account:" + account;

    // Seen-check and enqueue in one step: two simultaneous copies cannot both be queued, and an event cannot be
    // marked seen without being queued. The account becomes claimable unless it is already waiting or owned.
    const string EnqueueIfNewScript = """
        redis.call('SET', KEYS[1], '1', 'PX', ARGV[2])
        redis.call('RPUSH', KEYS[2], ARGV[1])
        redis.call('ZADD', KEYS[3], 'NX', 0, ARGV[3])
        local t = redis.call('TIME')
        redis.call('ZADD', KEYS[4], t[1] * 1000 + math.floor(t[2] / 1000), ARGV[4])
        return 1
        """;

    // Up to ARGV[1] accounts whose lease is free or ran out, now owned by the claim ARGV[3] for ARGV[2] ms.
    const string ClaimScript = """
        local t = redis.call('TIME')
        local now = t[1] * 1000 + math.floor(t[2] / 1000)
        local ready = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
        for _, account in ipairs(ready) do
          redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), account)
          redis.call('HSET', KEYS[2], account, ARGV[3])
        end
        return ready
        """;

    const string RenewScript = """
        if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
        local t = redis.call('TIME')
        redis.call('ZADD', KEYS[1], 'XX', t[1] * 1000 + math.floor(t[2] / 1000) + tonumber(ARGV[3]), ARGV[1])
        return 1
        """;

    // The head event is finished: pop it. 1 when the account has more (still ours), 0 when it was the last (the
    // account is let go), -1 when the claim was lost (another worker owns the account now: touch nothing).
    const string FinishScript = """
        if redis.call('HGET', KEYS[3], ARGV[1]) ~= ARGV[2] then return -1 end
        if ARGV[3] ~= '' then
          redis.call('LPOP', KEYS[1])
          redis.call('ZREM', KEYS[4], ARGV[3])
        end
        if redis.call('LLEN', KEYS[1]) == 0 then
          redis.call('ZREM', KEYS[2], ARGV[1])
          redis.call('HDEL', KEYS[3], ARGV[1])
          return 0
        end
        return 1
        """;

    const string MetricsScript = """
        local depth = redis.call('ZCARD', KEYS[1])
        if depth == 0 then return {0, 0} end
        local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
        local t = redis.call('TIME')
        local lag = t[1] * 1000 + math.floor(t[2] / 1000) - tonumber(oldest[2])
        if lag < 0 then lag = 0 end
        return {depth, lag}
        """;

    IDatabase Db => redis.GetDatabase();

    public async Task<bool> EnqueueIfNewAsync(IncomingEvent e, string body) =>
        (long)await Db.ScriptEvaluateAsync(EnqueueIfNewScript, ["webhooks:seen:" + e.Id, AccountKey(e.Account), Accounts, Waiting],
            [body, (long)Remember.TotalMilliseconds, e.Account, e.Id]) == 1;

    /// <summary>Up to <paramref name="count"/> accounts with events, now owned by <paramref name="claim"/>.</summary>
    public async Task<string[]> ClaimAsync(int count, string claim)
    {
        var result = await Db.ScriptEvaluateAsync(ClaimScript, [Accounts, Owners], [count, (long)Lease.TotalMilliseconds, claim]);
        return ((RedisResult[])result!).Select(r => r.ToString()!).ToArray();
    }

    /// <summary>Extends the claim; false when it was lost.</summary>
    public async Task<bool> RenewAsync(string account, string claim) =>
        (long)await Db.ScriptEvaluateAsync(RenewScript, [Accounts, Owners], [account, claim, (long)Lease.TotalMilliseconds]) == 1;

    /// <summary>The account's oldest unfinished event; null when it has none.</summary>
    public async Task<string?> HeadAsync(string account)
    {
        var value = await Db.ListGetByIndexAsync(AccountKey(account), 0);
        return value.IsNull ? null : value.ToString();
    }

    /// <summary>Removes the finished head event (none when <paramref name="eventId"/> is null); true while the account has more and is still ours.</summary>
    public async Task<bool> FinishAsync(string account, string claim, string? eventId) =>
        (long)await Db.ScriptEvaluateAsync(FinishScript, [AccountKey(account), Accounts, Owners, Waiting], [account, claim, eventId ?? ""]) == 1;

    // Every delivery is queued and processed: the sender does not send an event twice.
    public Task<bool> IsDoneAsync(string id) => Task.FromResult(id.Length == 0);

    public Task MarkDoneAsync(string id) => Db.StringSetAsync("webhooks:done:" + id, "1", Remember);

    public Task DeadLetterAsync(string id, string reason) =>
        Db.HashSetAsync(Dead, id, JsonSerializer.Serialize(new DeadLetter(id, reason)));

    public async Task<IReadOnlyList<DeadLetter>> DeadLettersAsync() =>
        (await Db.HashValuesAsync(Dead)).Select(v => JsonSerializer.Deserialize<DeadLetter>(v.ToString())!).ToList();

    /// <summary>Events acknowledged and not finished (booked or dead-lettered), and how long the oldest has waited.</summary>
    public async Task<PipelineMetrics> MetricsAsync()
    {
        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(MetricsScript, [Waiting]))!;
        return new PipelineMetrics((long)result[0], (long)result[1]);
    }
}

public sealed record DeadLetter(string Id, string Reason);

public sealed record PipelineMetrics(long QueueDepth, long ConsumerLagMs);
