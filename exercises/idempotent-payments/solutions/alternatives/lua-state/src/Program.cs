using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using StackExchange.Redis;

var builder = WebApplication.CreateBuilder(args);
var redis = await ConnectionMultiplexer.ConnectAsync(builder.Configuration["REDIS_CONNECTION"] + ",abortConnect=false");
var provider = new HttpClient { BaseAddress = new Uri(builder.Configuration["PAYMENT_PROVIDER_URL"]!), Timeout = TimeSpan.FromSeconds(10) };
var app = builder.Build();
var records = new PaymentRecords(redis.GetDatabase());

app.MapGet("/health", () => redis.IsConnected ? Results.Ok() : Results.StatusCode(503));

app.MapPost("/payments", async (HttpContext context) =>
{
    string key = context.Request.Headers["Idempotency-Key"].ToString().Trim();
    if (key.Length is 0 or > 100) return Results.BadRequest(new { error = "Idempotency-Key (1-100 characters) required" });
    var request = await Body.ParseAsync(context.Request);
    if (request is null) return Results.BadRequest(new { error = "invalid body" });

    var (won, existing) = await records.ClaimAsync(key, request.Value.Fingerprint);
    if (!won)
    {
        if (existing!.Fingerprint != request.Value.Fingerprint) return Results.StatusCode(422);
        return existing.State == "done"
            ? Results.Text(existing.Body!, "application/json", statusCode: existing.Status)
            : Results.StatusCode(409);
    }

    string? chargeId = null;
    try
    {
        using var charge = await provider.PostAsJsonAsync("/charges", new { amount = request.Value.Amount, currency = request.Value.Currency, reference = key });
        if (charge.IsSuccessStatusCode) chargeId = (await charge.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("chargeId").GetString();
    }
    catch (HttpRequestException) { }
    catch (TaskCanceledException) { }

    if (chargeId is null)
    {
        await records.AbandonAsync(key, request.Value.Fingerprint);
        return Results.StatusCode(502);
    }
    var body = JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["paymentId"] = $"pmt-{Guid.NewGuid():N}",
        ["chargeId"] = chargeId,
        ["amount"] = request.Value.Amount,
        ["currency"] = request.Value.Currency,
    });
    await records.CompleteAsync(key, request.Value.Fingerprint, 201, body);
    return Results.Text(body, "application/json", statusCode: 201);
});

await app.RunAsync();

readonly partial record struct Body(long Amount, string Currency)
{
    public string Fingerprint => Amount + " " + Currency;

    public static async Task<Body?> ParseAsync(HttpRequest request)
    {
        JsonElement json;
        try { json = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body); }
        catch (JsonException) { return null; }
        if (json.ValueKind != JsonValueKind.Object) return null;
        if (!json.TryGetProperty("amount", out var a) || a.ValueKind != JsonValueKind.Number || !a.TryGetInt64(out var amount) || amount < 1) return null;
        if (!json.TryGetProperty("currency", out var c) || c.ValueKind != JsonValueKind.String || !CurrencyCode().IsMatch(c.GetString()!)) return null;
        return new Body(amount, c.GetString()!);
    }

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyCode();
}

sealed record PaymentRecord(string State, string Fingerprint, int Status, string? Body);

/// <summary>"idem:{key}" is one record: pending (15 s) while a request charges, then done (24 h).</summary>
sealed class PaymentRecords(IDatabase db)
{
    // Returns nil when this caller created the pending record, else the record that is there.
    const string Claim = """
        local current = redis.call('GET', KEYS[1])
        if current then return current end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        return false
        """;
    // Removes a pending record (a failed charge), never a finished one.
    const string Abandon = """
        local current = redis.call('GET', KEYS[1])
        if current == ARGV[1] then redis.call('DEL', KEYS[1]) end
        return 0
        """;

    public async Task<(bool Won, PaymentRecord? Existing)> ClaimAsync(string key, string fingerprint)
    {
        var result = await db.ScriptEvaluateAsync(Claim, [Key(key)], [Pending(fingerprint), 15000]);
        return result.IsNull ? (true, null) : (false, JsonSerializer.Deserialize<PaymentRecord>((string)result!));
    }

    public Task AbandonAsync(string key, string fingerprint) => db.ScriptEvaluateAsync(Abandon, [Key(key)], [Pending(fingerprint)]);

    public Task CompleteAsync(string key, string fingerprint, int status, string body) =>
        db.StringSetAsync(Key(key), JsonSerializer.Serialize(new PaymentRecord("done", fingerprint, status, body)), TimeSpan.FromDays(1));

    static string Pending(string fingerprint) => JsonSerializer.Serialize(new PaymentRecord("pending", fingerprint, 0, null));
    static RedisKey Key(string key) => "idem:" + key;
}
