using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CodeLab.TestSupport;

/// <summary>
/// A real Kestrel server on 127.0.0.1 (a free port) for load tests, with endpoints whose behaviour tests control:
/// /fast answers at once, /slow?ms= after a delay, /hold?ms= counts how many calls it holds at the same time,
/// /stallable waits while a stall set by <see cref="StallFor"/> lasts (a GC pause, a lock convoy).
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    readonly WebApplication app;
    long requests;
    int holding;
    int maxHolding;
    long stallUntil;

    LoopbackServer(WebApplication app) => this.app = app;

    public Uri BaseAddress { get; private set; } = null!;
    public long Requests => Volatile.Read(ref requests);
    public int MaxHeldAtOnce => Volatile.Read(ref maxHolding);

    public Uri Url(string pathAndQuery) => new(BaseAddress, pathAndQuery);

    public static async Task<LoopbackServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new LoopbackServer(app);
        app.Use((context, next) =>
        {
            Interlocked.Increment(ref server.requests);
            return next(context);
        });
        app.MapGet("/fast", () => "ok");
        app.MapGet("/slow", async (int ms) =>
        {
            await Task.Delay(ms);
            return "ok";
        });
        app.MapGet("/hold", async (int ms) =>
        {
            var now = Interlocked.Increment(ref server.holding);
            int seen;
            while (now > (seen = Volatile.Read(ref server.maxHolding)) && Interlocked.CompareExchange(ref server.maxHolding, now, seen) != seen) { }
            await Task.Delay(ms);
            Interlocked.Decrement(ref server.holding);
            return "ok";
        });
        app.MapGet("/stallable", async () =>
        {
            var wait = Volatile.Read(ref server.stallUntil) - Stopwatch.GetTimestamp();
            if (wait > 0) await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
            return "ok";
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server.BaseAddress = new Uri(address);
        return server;
    }

    /// <summary>From now on, every request waits until the stall is over (requests already answered are not affected).</summary>
    public void StallFor(TimeSpan stall) => Volatile.Write(ref stallUntil, Stopwatch.GetTimestamp() + (long)(stall.TotalSeconds * Stopwatch.Frequency));

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
