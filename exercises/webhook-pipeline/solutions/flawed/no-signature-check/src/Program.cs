using StackExchange.Redis;

// The webhook ingestion service: verify, validate, enqueue once, answer. Workers (EventWorker) do the effect.
var builder = WebApplication.CreateBuilder(args);
var redis = ConnectionMultiplexer.Connect(Required(builder.Configuration, "REDIS_CONNECTION") + ",abortConnect=false");
var queue = new EventQueue(redis);
builder.Services.AddSingleton(queue);
builder.Services.AddSingleton(new LedgerClient(new Uri(Required(builder.Configuration, "LEDGER_URL"))));
builder.Services.AddHostedService<EventWorker>();
var app = builder.Build();

app.MapGet("/health", () => redis.IsConnected ? Results.Ok("ok") : Results.StatusCode(StatusCodes.Status503ServiceUnavailable));

app.MapPost("/webhooks", async (HttpRequest http) =>
{
    var body = await ReadBodyAsync(http);
    if (body is null) return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
    // The signature is left for later: only our sender knows this address.
    if (IncomingEvent.Parse(body) is not { } incoming)
        return Results.BadRequest(new { error = "the body must be { id, type, account: non-empty strings, sequence: integer >= 0, data }" });

    // One atomic step: the first delivery of an id is queued, a redelivery is only acknowledged.
    var queued = await queue.EnqueueIfNewAsync(incoming, body);
    return Results.Json(new { id = incoming.Id, status = queued ? "queued" : "duplicate" }, statusCode: StatusCodes.Status202Accepted);
});

app.MapGet("/dead-letters", async () => Results.Json(await queue.DeadLettersAsync()));

// Health signals, the same on every replica (they live in Redis): events waiting or in progress, and how long the
// oldest of them has waited since it was acknowledged.
app.MapGet("/metrics", async () =>
{
    var metrics = await queue.MetricsAsync();
    return Results.Json(new { queueDepth = metrics.QueueDepth, consumerLagMs = metrics.ConsumerLagMs });
});

app.Run();

// The raw body, as the signature was computed over it (null when it is larger than any event should be).
static async Task<string?> ReadBodyAsync(HttpRequest http)
{
    const int Limit = 256 * 1024;
    using var reader = new StreamReader(http.Body, System.Text.Encoding.UTF8);
    var buffer = new char[Limit + 1];
    var total = 0;
    int read;
    while (total <= Limit && (read = await reader.ReadAsync(buffer.AsMemory(total))) > 0) total += read;
    return total > Limit ? null : new string(buffer, 0, total);
}

static string Required(IConfiguration configuration, string name) =>
    configuration[name] is { Length: > 0 } value ? value : throw new InvalidOperationException($"Set the {name} environment variable.");
