using System.Collections.Concurrent;
using StackExchange.Redis;

/// <summary>
/// The queue, the ids seen and the dead letters in this process's memory: fast, and atomic where it matters
/// (TryAdd), so simultaneous copies are queued once. Redis is only connected for the health check.
/// </summary>
public sealed class EventQueue(IConnectionMultiplexer redis)
{
    readonly ConcurrentDictionary<string, bool> seen = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, bool> done = new(StringComparer.Ordinal);
    readonly ConcurrentQueue<string> queue = new();
    readonly ConcurrentDictionary<string, DeadLetter> dead = new(StringComparer.Ordinal);

    public bool Connected => redis.IsConnected;

    public Task<bool> EnqueueIfNewAsync(string id, string body)
    {
        if (!seen.TryAdd(id, true)) return Task.FromResult(false);
        queue.Enqueue(body);
        return Task.FromResult(true);
    }

    public Task<string?> TakeAsync() => Task.FromResult(queue.TryDequeue(out var body) ? body : null);

    public Task FinishAsync(string body) => Task.CompletedTask;

    public Task<int> ReclaimAsync() => Task.FromResult(0);

    public Task<bool> IsDoneAsync(string id) => Task.FromResult(done.ContainsKey(id));

    public Task MarkDoneAsync(string id) => Task.FromResult(done.TryAdd(id, true));

    public Task DeadLetterAsync(string id, string reason) => Task.FromResult(dead[id] = new DeadLetter(id, reason));

    public Task<IReadOnlyList<DeadLetter>> DeadLettersAsync() => Task.FromResult<IReadOnlyList<DeadLetter>>(dead.Values.ToList());
}

public sealed record DeadLetter(string Id, string Reason);
