using System.Globalization;
using StackExchange.Redis;

var builder = WebApplication.CreateBuilder(args);

var limit = new BucketLimit(
    int.Parse(Environment.GetEnvironmentVariable("RATE_LIMIT_CAPACITY") ?? "20", CultureInfo.InvariantCulture),
    double.Parse(Environment.GetEnvironmentVariable("RATE_LIMIT_REFILL_PER_SECOND") ?? "2", CultureInfo.InvariantCulture));
// abortConnect=false: start even when Redis is not there yet, and reconnect by itself after an outage.
var redis = ConnectionMultiplexer.Connect(
    (Environment.GetEnvironmentVariable("REDIS_CONNECTION") ?? "localhost:6379") + ",abortConnect=false");

builder.Services.AddSingleton<IConnectionMultiplexer>(redis);
builder.Services.AddSingleton(limit);
builder.Services.AddSingleton<RedisTokenBucket>();

var app = builder.Build();

app.MapGet("/health", () => Results.Ok("ok"));

app.UseWhen(context => context.Request.Path.StartsWithSegments("/api"), api => api.Use(async (context, next) =>
{
    var tenant = context.Request.Headers["X-Tenant-Id"].ToString();
    if (string.IsNullOrWhiteSpace(tenant))
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        await context.Response.WriteAsync("X-Tenant-Id is required.");
        return;
    }
    var decision = await context.RequestServices.GetRequiredService<RedisTokenBucket>().TryAcquireAsync(tenant, context.RequestAborted);
    if (decision is { } d)
    {
        context.Response.Headers["RateLimit-Limit"] = limit.Capacity.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["RateLimit-Remaining"] = d.Remaining.ToString(CultureInfo.InvariantCulture);
        if (!d.Allowed)
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = ((long)Math.Ceiling(d.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return;
        }
    }
    await next();
}));

app.Map("/api/{**path}", (string? path) => Results.Ok(new { path }));

app.Run();

sealed record BucketLimit(int Capacity, double RefillPerSecond);
