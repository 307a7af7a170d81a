using StackExchange.Redis;

/// <summary>
/// Events live in the stream "wh:events" read by the consumer group "ledger-writers". An entry stays pending (in the
/// group's pending entries list) from the moment a consumer reads it until it is acknowledged, so a crash never loses
/// it. "wh:id:{id}" remembers an event for 3 days; "wh:booked:{id}" that its entry was recorded; "wh:dlq" is a stream
/// of dead letters.
/// </summary>
public sealed class EventStream(IConnectionMultiplexer redis)
{
    public const string Key = "wh:events";
    public const string Group = "ledger-writers";
    const string DeadKey = "wh:dlq";
    static readonly TimeSpan Memory = TimeSpan.FromDays(3);

    const string AddIfNew = """
        if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[2]) == false then return 0 end
        redis.call('XADD', KEYS[2], '*', 'body', ARGV[1])
        return 1
        """;

    IDatabase Db => redis.GetDatabase();

    public async Task<bool> AddIfNewAsync(string id, string body) =>
        (int)await Db.ScriptEvaluateAsync(AddIfNew, ["wh:id:" + id, Key], [body, (long)Memory.TotalMilliseconds]) == 1;

    public async Task EnsureGroupAsync()
    {
        try
        {
            await Db.StreamCreateConsumerGroupAsync(Key, Group, StreamPosition.Beginning, createStream: true);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Made by an earlier start.
        }
    }

    /// <summary>Takes over every entry that is pending for any consumer and idle at least <paramref name="idle"/>.</summary>
    public async Task<int> ClaimPendingAsync(string consumer, TimeSpan idle)
    {
        var claimed = 0;
        RedisValue start = "0-0";
        while (true)
        {
            var result = await Db.StreamAutoClaimIdsOnlyAsync(Key, Group, consumer, (long)idle.TotalMilliseconds, start, 100);
            claimed += result.ClaimedIds.Length;
            if (result.NextStartId == "0-0") return claimed;
            start = result.NextStartId;
        }
    }

    /// <summary>Entries for this consumer: its own pending ones (id "0") or new ones (">").</summary>
    public Task<StreamEntry[]> ReadAsync(string consumer, bool pending, int count) =>
        Db.StreamReadGroupAsync(Key, Group, consumer, pending ? "0" : ">", count);

    public async Task AcknowledgeAsync(RedisValue entryId)
    {
        await Db.StreamAcknowledgeAsync(Key, Group, entryId);
        await Db.StreamDeleteAsync(Key, [entryId]);
    }

    public async Task<bool> IsBookedAsync(string id) => await Db.KeyExistsAsync("wh:booked:" + id);

    public Task BookedAsync(string id) => Db.StringSetAsync("wh:booked:" + id, "1", Memory);

    public Task DeadLetterAsync(string id, string reason) =>
        Db.StreamAddAsync(DeadKey, [new NameValueEntry("id", id), new NameValueEntry("reason", reason)]);

    public async Task<IReadOnlyList<object>> DeadLettersAsync() =>
        (await Db.StreamRangeAsync(DeadKey)).Select(e => (object)new { id = (string?)e["id"], reason = (string?)e["reason"] }).ToList();
}
