using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using CodeLab.Judge;
using CodeLab.Load;

namespace CacheStampede.Tests;

/// <summary>What the service answered for a product: status, body, the X-Cache header, and the product's fields when the body has them.</summary>
sealed record Read(int Status, string Body, string? XCache)
{
    public string? Id => Field("id")?.ToString();
    public string? Name => Field("name")?.ToString();
    public long? Price => Field("price") is { ValueKind: JsonValueKind.Number } p && p.TryGetInt64(out var v) ? v : null;
    public long? Version => Field("version") is { ValueKind: JsonValueKind.Number } p && p.TryGetInt64(out var v) ? v : null;

    /// <summary>True when this is a 200 carrying exactly the product the origin holds (or held) as <paramref name="product"/>.</summary>
    public bool Is(Product? product) =>
        product is not null && Status == 200 && Id == product.Id && Name == product.Name && Price == product.Price && Version == product.Version;

    JsonElement? Field(string name)
    {
        try
        {
            using var json = JsonDocument.Parse(Body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(name, out var value) ? value.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public override string ToString() => $"{Status} X-Cache: {XCache ?? "(none)"} {(Body.Length > 120 ? Body[..120] + "..." : Body)}";
}

/// <summary>The judge's side of the shop: the origin, reads and writes through the service, bursts, and Redis snapshots.</summary>
static class Shop
{
    /// <summary>CACHE_TTL_SECONDS as exercise.json sets it for the service.</summary>
    public const int TtlSeconds = 120;
    public const long TtlMs = TtlSeconds * 1000L;

    public static async Task<OriginFake> OriginAsync()
    {
        var origin = await OriginFake.StartedAsync();
        origin.Reset();
        return origin;
    }

    /// <summary>A product id nobody used before (every product exists at the origin unless a test removes it).</summary>
    public static string NewId() => "sku-" + Guid.NewGuid().ToString("N")[..16];

    static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public static async Task<Read> GetAsync(string id, HttpClient? client = null)
    {
        using var response = await (client ?? Service.Client).GetAsync($"/products/{id}", Ct);
        var header = response.Headers.TryGetValues("X-Cache", out var values) ? string.Join(",", values) : null;
        return new Read((int)response.StatusCode, await response.Content.ReadAsStringAsync(Ct), header);
    }

    /// <summary>A read that may get no answer (a replica killed under it, a time-out): status 0 and the reason.</summary>
    public static async Task<Read> TryGetAsync(string id, HttpClient? client = null)
    {
        try
        {
            return await GetAsync(id, client);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !Ct.IsCancellationRequested)
        {
            return new Read(0, "no answer: " + ex.Message, null);
        }
    }

    public static async Task<Read> PutAsync(string id, string name, long price)
    {
        using var response = await Service.Client.PutAsJsonAsync($"/products/{id}", new { name, price }, Ct);
        return new Read((int)response.StatusCode, await response.Content.ReadAsStringAsync(Ct), null);
    }

    /// <summary>GET /stats: hits, misses and hitRate as the service reports them (null fields when absent).</summary>
    public static async Task<(long? Hits, long? Misses, double? HitRate, string Body)> StatsAsync()
    {
        using var response = await Service.Client.GetAsync("/stats", Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            long? Long(string name) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.TryGetInt64(out var l) ? l : null;
            double? Double(string name) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
            return (Long("hits"), Long("misses"), Double("hitRate"), body);
        }
        catch (JsonException)
        {
            return (null, null, null, body);
        }
    }

    /// <summary>
    /// <paramref name="count"/> reads released at the same instant (the load engine's Burst); read number n (1-based)
    /// asks for <paramref name="id"/>(n), from the first replica or, with <paramref name="everyReplica"/>, from each
    /// replica in turn. Returns every answer (a read that got no answer is status 0).
    /// </summary>
    public static async Task<IReadOnlyList<Read>> BurstAsync(int count, Func<long, string> id, bool everyReplica = false)
    {
        var answers = new ConcurrentQueue<Read>();
        var replicas = Service.Replicas;
        var scenario = Scenario.Create("burst", async ctx =>
        {
            var client = everyReplica ? replicas[(int)(ctx.InvocationNumber % replicas.Count)] : Service.Client;
            var read = await TryGetAsync(id(ctx.InvocationNumber), client);
            answers.Enqueue(read);
            return Response.Ok(read.Status);
        }).WithLoadSimulations(Simulation.Burst(count));
        await LoadRunner.RegisterScenarios(scenario).RunAsync(Ct);
        return answers.ToArray();
    }

    public static string Describe(IEnumerable<Read> reads) =>
        string.Join(", ", reads.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} x {g.Key}"));

    /// <summary>The keys in <paramref name="after"/> that <paramref name="before"/> did not have: what the service wrote meanwhile, whatever it names them.</summary>
    public static Dictionary<string, long> New(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after) =>
        after.Where(k => !before.ContainsKey(k.Key)).ToDictionary(k => k.Key, k => k.Value);

    public static string Ttls(IReadOnlyDictionary<string, long> keys) =>
        keys.Count == 0 ? "none" : string.Join(", ", keys.Take(12).Select(k => $"{k.Key}: {(k.Value < 0 ? "no expiry" : $"{k.Value / 1000.0:0.#} s")}"))
                                   + (keys.Count > 12 ? $" (and {keys.Count - 12} more)" : "");
}
