using StackExchange.Redis;

var builder = WebApplication.CreateBuilder(args);
var redis = await ConnectionMultiplexer.ConnectAsync(Setting(builder.Configuration, "REDIS_CONNECTION") + ",abortConnect=false");
var stream = new EventStream(redis);
var secret = Setting(builder.Configuration, "WEBHOOK_SECRET");
builder.Services.AddSingleton(stream);
builder.Services.AddSingleton(new LedgerClient(new Uri(Setting(builder.Configuration, "LEDGER_URL"))));
builder.Services.AddHostedService<StreamConsumer>();
var app = builder.Build();

app.MapGet("/health", () => redis.IsConnected ? Results.Ok() : Results.StatusCode(503));

app.MapPost("/webhooks", async (HttpContext context) =>
    {
        var body = (string)context.Items["raw-body"]!;
        if (IncomingEvent.Parse(body) is not { } incoming) return Results.BadRequest(new { error = "malformed event" });
        var added = await stream.AddIfNewAsync(incoming, body);
        return Results.Accepted(value: new { id = incoming.Id, duplicate = !added });
    })
    .AddEndpointFilter(new SignatureFilter(secret, TimeProvider.System));

app.MapGet("/dead-letters", async () => Results.Ok(await stream.DeadLettersAsync()));

app.MapGet("/metrics", async () =>
{
    var (depth, lag) = await stream.BacklogAsync();
    return Results.Ok(new { queueDepth = depth, consumerLagMs = lag });
});

await app.RunAsync();

static string Setting(IConfiguration configuration, string name) =>
    configuration[name] is { Length: > 0 } value ? value : throw new InvalidOperationException(name + " is not set");
