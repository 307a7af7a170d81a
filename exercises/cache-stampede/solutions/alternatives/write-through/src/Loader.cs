using System.Collections.Concurrent;
using System.Text;

/// <summary>
/// Reads through the cache with one leader per cold key: the request whose TryAdd wins loads from the origin; the
/// others await the leader's TaskCompletionSource. Writes go to the origin, then replace the cached product.
/// </summary>
public sealed class Loader(HttpClient origin, HashStore store)
{
    readonly ConcurrentDictionary<string, TaskCompletionSource<Entry>> leaders = new();
    long hits, misses;

    public async Task<(Entry Entry, bool FromCache)> ReadAsync(string id)
    {
        if (await store.FindAsync(id) is { } cached)
        {
            Interlocked.Increment(ref hits);
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

    async Task<Entry> LoadAsync(string id)
    {
        var entry = await CallAsync(new HttpRequestMessage(HttpMethod.Get, "products/" + Uri.EscapeDataString(id)));
        if (entry.Status == 200) await store.PutAsync(id, entry);
        return entry;
    }

    public async Task<Entry> WriteAsync(string id, string json)
    {
        var entry = await CallAsync(new HttpRequestMessage(HttpMethod.Put, "products/" + Uri.EscapeDataString(id))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        });
        if (entry.Status == 200) await store.PutAsync(id, entry);
        else await store.ForgetAsync(id);
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
