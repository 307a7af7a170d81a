using System.Text.Json;
using StackExchange.Redis;

/// <summary>
/// The reliable-list pattern in Redis. "webhooks:queue" holds events to process; a worker moves one atomically to
/// "webhooks:processing" (LMOVE) and removes it only when it is finished, so a crash leaves it there to be reclaimed.
/// "webhooks:seen:{id}" (7 days) makes a redelivery a no-op; "webhooks:done:{id}" (7 days) records the effect;
/// "webhooks:dead" is the dead-letter hash (id -> reason).
/// </summary>
public sealed class EventQueue(IConnectionMultiplexer redis)
{
    const string Queue = "webhooks:queue";
    const string Processing = "webhooks:processing";
    const string Dead = "webhooks:dead";
    static readonly TimeSpan Remember = TimeSpan.FromDays(7);

    // Seen-check and enqueue in one step: two simultaneous copies cannot both be queued, and an event cannot be
    // marked seen without being queued.
    const string EnqueueIfNewScript = """
        if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[2]) then
          redis.call('LPUSH', KEYS[2], ARGV[1])
          return 1
        end
        return 0
        """;

    IDatabase Db => redis.GetDatabase();

    public async Task<bool> EnqueueIfNewAsync(string id, string body) =>
        (long)await Db.ScriptEvaluateAsync(EnqueueIfNewScript, ["webhooks:seen:" + id, Queue], [body, (long)Remember.TotalMilliseconds]) == 1;

    /// <summary>The next event, now in the processing list; null when the queue is empty.</summary>
    public async Task<string?> TakeAsync()
    {
        var value = await Db.ListMoveAsync(Queue, Processing, ListSide.Right, ListSide.Left);
        return value.IsNull ? null : value.ToString();
    }

    public Task FinishAsync(string body) => Db.ListRemoveAsync(Processing, body, 1);

    /// <summary>Moves every event a previous run left in the processing list back to the queue (one replica: they are all orphans).</summary>
    public async Task<int> ReclaimAsync()
    {
        var count = 0;
        while (!(await Db.ListMoveAsync(Processing, Queue, ListSide.Right, ListSide.Right)).IsNull) count++;
        return count;
    }

    public async Task<bool> IsDoneAsync(string id) => await Db.KeyExistsAsync("webhooks:done:" + id);

    public Task MarkDoneAsync(string id) => Db.StringSetAsync("webhooks:done:" + id, "1", Remember);

    public Task DeadLetterAsync(string id, string reason) =>
        Db.HashSetAsync(Dead, id, JsonSerializer.Serialize(new DeadLetter(id, reason)));

    public async Task<IReadOnlyList<DeadLetter>> DeadLettersAsync() =>
        (await Db.HashValuesAsync(Dead)).Select(v => JsonSerializer.Deserialize<DeadLetter>(v.ToString())!).ToList();
}

public sealed record DeadLetter(string Id, string Reason);
