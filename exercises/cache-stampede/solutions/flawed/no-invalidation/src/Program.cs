using StackExchange.Redis;

// The caching service: cache-aside in Redis in front of a slow origin, with one origin load per cold product at a
// time across replicas (ProductCache, ReplicaLock), stale-while-revalidate in the last seconds of a product's TTL,
// jittered TTLs, short-lived 404s, errors never cached, and honest counters.
var builder = WebApplication.CreateBuilder(args);
var redisOptions = ConfigurationOptions.Parse(Required(builder.Configuration, "REDIS_CONNECTION"));
redisOptions.AbortOnConnectFail = false;
// While Redis is down, fail at once (the service then answers from the origin) rather than queueing commands for seconds,
// and try to reconnect every second so the cache is back soon after Redis is.
redisOptions.BacklogPolicy = BacklogPolicy.FailFast;
redisOptions.ReconnectRetryPolicy = new LinearRetry(1000);
redisOptions.ConnectTimeout = 2000;
redisOptions.AsyncTimeout = 2000;
redisOptions.SyncTimeout = 2000;
var redis = ConnectionMultiplexer.Connect(redisOptions);
var ttl = TimeSpan.FromSeconds(int.Parse(Required(builder.Configuration, "CACHE_TTL_SECONDS"), System.Globalization.CultureInfo.InvariantCulture));
// The last CACHE_STALE_SECONDS of a product's TTL: reads answer it at once while one refresh loads it again.
var stale = TimeSpan.FromSeconds(int.Parse(Required(builder.Configuration, "CACHE_STALE_SECONDS"), System.Globalization.CultureInfo.InvariantCulture));
var origin = new OriginClient(new Uri(Required(builder.Configuration, "ORIGIN_URL")));
var stats = new CacheStats();
var cache = new ProductCache(redis, new ReplicaLock(redis), origin, stats, ttl, stale);
var app = builder.Build();

app.MapGet("/health", () => redis.IsConnected ? Results.Ok("ok") : Results.StatusCode(StatusCodes.Status503ServiceUnavailable));

app.MapGet("/products/{id}", async (string id, HttpResponse response) =>
{
    if (!ProductId.IsValid(id)) return Results.BadRequest(new { error = "a product id is 1 to 100 letters, digits or '-'" });
    var (answer, hit) = await cache.GetAsync(id);
    response.Headers["X-Cache"] = hit ? "hit" : "miss";
    return Results.Content(answer.Body, "application/json", statusCode: answer.Status);
});

app.MapPut("/products/{id}", async (string id, HttpRequest request) =>
{
    if (!ProductId.IsValid(id)) return Results.BadRequest(new { error = "a product id is 1 to 100 letters, digits or '-'" });
    using var reader = new StreamReader(request.Body);
    var body = await reader.ReadToEndAsync();
    // The origin first, the cache after: invalidating before the origin has the write lets a read in between put the
    // old product back for a whole TTL. Invalidated whatever the origin said: a write that timed out may have landed.
    var answer = await origin.PutAsync(id, body);
    return Results.Content(answer.Body, "application/json", statusCode: answer.Status);
});

app.MapGet("/stats", () => Results.Ok(stats.Snapshot()));

app.Run();

static string Required(IConfiguration configuration, string name) =>
    configuration[name] is { Length: > 0 } value ? value : throw new InvalidOperationException($"Set the {name} environment variable.");
