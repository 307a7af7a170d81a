using StackExchange.Redis;

var builder = WebApplication.CreateBuilder(args);
var options = ConfigurationOptions.Parse(Setting(builder.Configuration, "REDIS_CONNECTION"));
options.AbortOnConnectFail = false;
options.BacklogPolicy = BacklogPolicy.FailFast; // no queueing while Redis is away: the loader bypasses the cache at once
options.ReconnectRetryPolicy = new ExponentialRetry(250, 2000);
options.ConnectTimeout = 1500;
var redis = await ConnectionMultiplexer.ConnectAsync(options);
var ttlSeconds = double.Parse(Setting(builder.Configuration, "CACHE_TTL_SECONDS"), System.Globalization.CultureInfo.InvariantCulture);
var staleSeconds = double.Parse(Setting(builder.Configuration, "CACHE_STALE_SECONDS"), System.Globalization.CultureInfo.InvariantCulture);
var store = new HashStore(redis.GetDatabase(), TimeSpan.FromSeconds(ttlSeconds));
var loader = new Loader(new HttpClient { BaseAddress = new Uri(Setting(builder.Configuration, "ORIGIN_URL")), Timeout = TimeSpan.FromSeconds(12) }, store, TimeSpan.FromSeconds(staleSeconds));
var app = builder.Build();

app.MapGet("/health", () => Results.Ok("ok"));

app.MapGet("/products/{id}", async (string id, HttpContext context) =>
{
    var (entry, fromCache) = await loader.ReadAsync(id);
    context.Response.Headers["X-Cache"] = fromCache ? "hit" : "miss";
    return Results.Text(entry.Body, "application/json", statusCode: entry.Status);
});

app.MapPut("/products/{id}", async (string id, HttpContext context) =>
{
    using var reader = new StreamReader(context.Request.Body);
    var entry = await loader.WriteAsync(id, await reader.ReadToEndAsync());
    return Results.Text(entry.Body, "application/json", statusCode: entry.Status);
});

app.MapGet("/stats", () => loader.Counters());

app.Run();

static string Setting(IConfiguration configuration, string name) =>
    configuration[name] ?? throw new InvalidOperationException(name + " is not set");
