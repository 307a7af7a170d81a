using System.Collections.Concurrent;
using System.Text;
using StackExchange.Redis;

/// <summary>
/// Reads through the cache with one leader per cold key on this instance (the request whose GetOrAdd wins; the others
/// await its TaskCompletionSource), and one loader per key across replicas (a Redis lock). Writes go to the origin,
/// then replace the cached product. A product whose key has at most <c>stale</c> left is answered from the cache at once
/// and refreshed in the background by whichever read claims the refresh in Redis first; a failed refresh leaves the entry
/// to expire.
/// </summary>
public sealed class Loader(HttpClient origin, HashStore store, TimeSpan stale)
{
    readonly ConcurrentDictionary<string, TaskCompletionSource<Entry>> leaders = new();
    long hits, misses, bypassing;

    public async Task<(Entry Entry, bool FromCache)> ReadAsync(string id)
    {
        Entry? cached;
        TimeSpan? left;
        try
        {
            (cached, left) = await store.FindWithTtlAsync(id);
        }
        catch (RedisException)
        {
            Interlocked.Increment(ref misses);
            return (await BypassAsync(id), false);
        }
        if (cached is not null)
        {
            Interlocked.Increment(ref hits);
            if (cached.Status == 200 && left is { } l && l <= stale) _ = Task.Run(() => RefreshAsync(id));
            return (cached, true);
        }
        Interlocked.Increment(ref misses);
        var mine = new TaskCompletionSource<Entry>(TaskCreationOptions.RunContinuationsAsynchronously);
        var leader = leaders.GetOrAdd(id, mine);
        if (leader != mine) return (await leader.Task, false);
        try
        {
            var entry = await store.FindAsync(id) ?? await LoadAsync(id);
            mine.SetResult(entry);
            return (entry, false);
        }
        catch (Exception ex)
        {
            mine.SetException(ex);
            throw;
        }
        finally
        {
            leaders.TryRemove(new KeyValuePair<string, TaskCompletionSource<Entry>>(id, mine));
        }
    }

    /// <summary>The one load of a product across replicas: whoever takes the lock loads; the others look for its result every 40 ms.</summary>
    async Task<Entry> LoadAsync(string id)
    {
        try
        {
            return await LoadOnceAsync(id);
        }
        catch (RedisException)
        {
            return await BypassAsync(id);
        }
    }

    /// <summary>The cache is unreachable: at most three origin calls at a time from this instance, the rest refused at once.</summary>
    async Task<Entry> BypassAsync(string id)
    {
        try
        {
            if (Interlocked.Increment(ref bypassing) > 3) return new Entry(503, "{\"error\":\"cache unavailable, origin protected; retry\"}");
            return await CallAsync(new HttpRequestMessage(HttpMethod.Get, "products/" + Uri.EscapeDataString(id)));
        }
        finally
        {
            Interlocked.Decrement(ref bypassing);
        }
    }

    async Task<Entry> LoadOnceAsync(string id)
    {
        var owner = Guid.NewGuid().ToString("N");
        var waiting = System.Diagnostics.Stopwatch.StartNew();
        while (waiting.Elapsed < TimeSpan.FromSeconds(7))
        {
            if (await store.TakeLoadLockAsync(id, owner))
            {
                try
                {
                    if (await store.FindAsync(id) is { } stored) return stored;
                    var entry = await CallAsync(new HttpRequestMessage(HttpMethod.Get, "products/" + Uri.EscapeDataString(id)));
                    if (entry.Status == 200)
                    {
                        try { await store.PutAsync(id, entry); }
                        catch (RedisException) { /* answered, not cached */ }
                    }
                    return entry;
                }
                finally
                {
                    try { await store.ReleaseLoadLockAsync(id, owner); }
                    catch (RedisException) { /* the lock expires by itself */ }
                }
            }
            await Task.Delay(40);
            if (await store.FindAsync(id) is { } loaded) return loaded;
        }
        return new Entry(503, "{\"error\":\"the product is being loaded elsewhere; retry\"}");
    }

    /// <summary>One refresh across replicas and reads: the read that claims it reloads the product, unless another just did.</summary>
    async Task RefreshAsync(string id)
    {
        try
        {
            if (!await store.ClaimRefreshAsync(id)) return;
            var (current, left) = await store.FindWithTtlAsync(id);
            if (current is null || left is not { } l || l > stale) return;
            var entry = await CallAsync(new HttpRequestMessage(HttpMethod.Get, "products/" + Uri.EscapeDataString(id)));
            if (entry.Status == 200) await store.PutAsync(id, entry);
            else if (entry.Status == 404) await store.ForgetAsync(id);
            // A failure keeps the cached product until its key expires; the claim keeps the next attempt 5 s away.
        }
        catch (RedisException)
        {
            // The cache is away: nothing to refresh.
        }
    }

    public async Task<Entry> WriteAsync(string id, string json)
    {
        var entry = await CallAsync(new HttpRequestMessage(HttpMethod.Put, "products/" + Uri.EscapeDataString(id))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        });
        try
        {
            if (entry.Status == 200) await store.PutAsync(id, entry);
            else await store.ForgetAsync(id);
        }
        catch (RedisException)
        {
            // No cache to update while Redis is away.
        }
        return entry;
    }

    async Task<Entry> CallAsync(HttpRequestMessage request)
    {
        try
        {
            using var response = await origin.SendAsync(request);
            var status = (int)response.StatusCode;
            return status < 500 ? new Entry(status, await response.Content.ReadAsStringAsync()) : Bad($"origin answered {status}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return Bad("origin unreachable");
        }
    }

    static Entry Bad(string why) => new(502, $"{{\"error\":\"{why}\"}}");

    public object Counters()
    {
        var (h, m) = (Interlocked.Read(ref hits), Interlocked.Read(ref misses));
        return new { hits = h, misses = m, hitRate = h + m == 0 ? 0 : Math.Round((double)h / (h + m), 6) };
    }
}
