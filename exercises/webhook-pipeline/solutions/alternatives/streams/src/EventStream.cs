using System.Text;
using StackExchange.Redis;

/// <summary>
/// Events are partitioned by account over <see cref="Partitions"/> streams "wh:events:{n}" (n a stable hash of the
/// account), each read by the consumer group "ledger-writers", like a topic's partitions. A partition is worked on by
/// the one consumer that holds its lease "wh:lease:{n}", one entry at a time in stream order, so an account's events
/// take effect in the order they were acknowledged while the partitions run in parallel. An entry stays pending (in
/// the group's pending entries list) from the moment it is read until it is acknowledged and deleted, so a crash
/// never loses it: whoever takes the partition over next claims its pending entries first. "wh:id:{id}" remembers
/// an event for 3 days; "wh:booked:{id}" that its entry was recorded; "wh:dlq" is a stream of dead letters.
/// </summary>
public sealed class EventStream(IConnectionMultiplexer redis)
{
    public const int Partitions = 64;
    public const string Group = "ledger-writers";
    const string DeadKey = "wh:dlq";
    static readonly TimeSpan Memory = TimeSpan.FromDays(3);
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(10);
    static readonly RedisKey[] All = Enumerable.Range(0, Partitions).Select(Key).ToArray();

    public static RedisKey Key(int partition) => $"wh:events:{partition}";

    static RedisKey LeaseKey(int partition) => $"wh:lease:{partition}";

    /// <summary>The account's partition: FNV-1a of its UTF-8 bytes (the same in every process, unlike GetHashCode).</summary>
    public static int PartitionOf(string account)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(account)) hash = (hash ^ b) * 16777619u;
        return (int)(hash % Partitions);
    }

    const string AddIfNew = """
        if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[2]) == false then return 0 end
        redis.call('XADD', KEYS[2], '*', 'body', ARGV[1])
        return 1
        """;

    const string AckAndDelete = """
        redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
        redis.call('XDEL', KEYS[1], ARGV[2])
        return 1
        """;

    const string RenewIfOwned = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return 1
        """;

    // Entries left in every partition (they are deleted once finished), and the age of the oldest: a stream id
    // starts with Redis's clock in milliseconds when the entry was added.
    const string Backlog = """
        local depth, oldest = 0, nil
        for _, key in ipairs(KEYS) do
          depth = depth + redis.call('XLEN', key)
          local first = redis.call('XRANGE', key, '-', '+', 'COUNT', 1)
          if first[1] then
            local ms = tonumber(string.match(first[1][1], '^(%d+)'))
            if oldest == nil or ms < oldest then oldest = ms end
          end
        end
        if oldest == nil then return {depth, 0} end
        local t = redis.call('TIME')
        local lag = t[1] * 1000 + math.floor(t[2] / 1000) - oldest
        if lag < 0 then lag = 0 end
        return {depth, lag}
        """;

    IDatabase Db => redis.GetDatabase();

    public async Task<bool> AddIfNewAsync(IncomingEvent e, string body) =>
        (int)await Db.ScriptEvaluateAsync(AddIfNew, ["wh:id:" + e.Id, Key(PartitionOf(e.Account))], [body, (long)Memory.TotalMilliseconds]) == 1;

    public async Task EnsureGroupsAsync()
    {
        foreach (var key in All)
        {
            try
            {
                await Db.StreamCreateConsumerGroupAsync(key, Group, StreamPosition.Beginning, createStream: true);
            }
            catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
            {
                // Made by an earlier start or another replica.
            }
        }
    }

    public Task<bool> TryLeaseAsync(int partition, string owner) =>
        Db.StringSetAsync(LeaseKey(partition), owner, Lease, When.NotExists);

    public Task<bool> IsLeasedAsync(int partition) => Db.KeyExistsAsync(LeaseKey(partition));

    public async Task<bool> RenewAsync(int partition, string owner) =>
        (long)await Db.ScriptEvaluateAsync(RenewIfOwned, [LeaseKey(partition)], [owner, (long)Lease.TotalMilliseconds]) == 1;

    /// <summary>Takes over every entry of the partition that is pending for any consumer.</summary>
    public async Task ClaimPendingAsync(int partition, string consumer)
    {
        RedisValue start = "0-0";
        while (true)
        {
            var result = await Db.StreamAutoClaimIdsOnlyAsync(Key(partition), Group, consumer, 0, start, 100);
            if (result.NextStartId == "0-0") return;
            start = result.NextStartId;
        }
    }

    /// <summary>
    /// The partition's next entry for this consumer: its own oldest pending one when <paramref name="pending"/> (after
    /// a take-over), else a new one; null when none.
    /// </summary>
    public async Task<StreamEntry?> NextAsync(int partition, string consumer, bool pending)
    {
        var entries = await Db.StreamReadGroupAsync(Key(partition), Group, consumer, pending ? "0" : ">", 1);
        return entries.Length > 0 ? entries[0] : null;
    }

    public Task AcknowledgeAsync(int partition, RedisValue entryId) =>
        Db.ScriptEvaluateAsync(AckAndDelete, [Key(partition)], [Group, entryId]);

    public async Task<bool> IsBookedAsync(string id) => await Db.KeyExistsAsync("wh:booked:" + id);

    public Task BookedAsync(string id) => Db.StringSetAsync("wh:booked:" + id, "1", Memory);

    public Task DeadLetterAsync(string id, string reason) =>
        Db.StreamAddAsync(DeadKey, [new NameValueEntry("id", id), new NameValueEntry("reason", reason)]);

    public async Task<IReadOnlyList<object>> DeadLettersAsync() =>
        (await Db.StreamRangeAsync(DeadKey)).Select(e => (object)new { id = (string?)e["id"], reason = (string?)e["reason"] }).ToList();

    public async Task<(long Depth, long LagMs)> BacklogAsync()
    {
        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(Backlog, All))!;
        return ((long)result[0], (long)result[1]);
    }
}
