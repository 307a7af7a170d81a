using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using StackExchange.Redis;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers();
builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(
    (Environment.GetEnvironmentVariable("REDIS_CONNECTION") ?? "localhost:6379") + ",abortConnect=false,connectTimeout=1000,syncTimeout=500"));
builder.Services.AddSingleton(new Gcra.Settings(
    double.Parse(Environment.GetEnvironmentVariable("RATE_LIMIT_CAPACITY") ?? "20", CultureInfo.InvariantCulture),
    double.Parse(Environment.GetEnvironmentVariable("RATE_LIMIT_REFILL_PER_SECOND") ?? "2", CultureInfo.InvariantCulture)));
builder.Services.AddSingleton<Gcra>();

var app = builder.Build();
// Connect before the first request: a connection made lazily inside a request times out on a busy machine and fails open.
app.Services.GetRequiredService<IConnectionMultiplexer>();
app.MapControllers();
app.Run();

/// <summary>
/// GCRA: a tenant's state is its theoretical arrival time (TAT, ms on Redis's clock). A request is allowed when
/// advancing the TAT by one emission interval keeps it within capacity intervals of now.
/// </summary>
public sealed class Gcra(IConnectionMultiplexer redis, Gcra.Settings settings, ILogger<Gcra> logger)
{
    public sealed record Settings(double Capacity, double RefillPerSecond);
    public sealed record Verdict(bool Allowed, long Remaining, long RetryAfterMs);

    const string Script = """
        local interval = tonumber(ARGV[1])
        local capacity = tonumber(ARGV[2])
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
        local tat = tonumber(redis.call('GET', KEYS[1]) or now)
        if tat < now then tat = now end
        local burst = capacity * interval
        local next = tat + interval
        if next - now <= burst then
          redis.call('SET', KEYS[1], tostring(next), 'PX', math.ceil(next - now) + 1000)
          return { 1, math.floor((burst - (next - now)) / interval + 1e-9), 0 }
        end
        return { 0, math.floor((burst - (tat - now)) / interval + 1e-9), math.ceil(next - now - burst) }
        """;

    long openUntil;

    public async Task<Verdict?> CheckAsync(string tenant)
    {
        if (Environment.TickCount64 < Interlocked.Read(ref openUntil)) return null;
        try
        {
            var interval = (1000.0 / settings.RefillPerSecond).ToString("R", CultureInfo.InvariantCulture);
            var reply = (RedisResult[])(await redis.GetDatabase()
                .ScriptEvaluateAsync(Script, [(RedisKey)$"gcra:{{{tenant}}}"], [interval, settings.Capacity.ToString(CultureInfo.InvariantCulture)])
                .WaitAsync(TimeSpan.FromMilliseconds(400)))!;
            return new Verdict((long)reply[0] == 1, Math.Max(0, (long)reply[1]), (long)reply[2]);
        }
        // Any failure of the store (time-out, refused connection, a cancelled queued command, the client's pipe failing
        // while it reconnects) opens the breaker: the API stays available.
        catch (Exception ex)
        {
            Interlocked.Exchange(ref openUntil, Environment.TickCount64 + 1000);
            logger.LogWarning("Redis unreachable ({Message}); admitting requests for the next second", ex.Message);
            return null;
        }
    }
}

[ApiController]
public sealed class HealthController : ControllerBase
{
    [HttpGet("/health")]
    public IActionResult Get() => Ok("ok");
}

[ApiController]
public sealed class LimitedApiController(Gcra gcra, Gcra.Settings settings) : ControllerBase
{
    [HttpGet("/api/{**path}")]
    [HttpPost("/api/{**path}")]
    public async Task<IActionResult> Handle(string? path, [FromHeader(Name = "X-Tenant-Id")] string? tenant)
    {
        if (string.IsNullOrWhiteSpace(tenant)) return Problem(statusCode: 400, title: "X-Tenant-Id is required.");
        if (await gcra.CheckAsync(tenant) is not { } verdict) return Ok(new { path });
        Response.Headers["RateLimit-Limit"] = settings.Capacity.ToString(CultureInfo.InvariantCulture);
        Response.Headers["RateLimit-Remaining"] = verdict.Remaining.ToString(CultureInfo.InvariantCulture);
        if (verdict.Allowed) return Ok(new { path });
        Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(verdict.RetryAfterMs / 1000.0)).ToString(CultureInfo.InvariantCulture);
        return StatusCode(429);
    }
}
