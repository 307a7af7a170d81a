using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CodeLab.Judge;

/// <summary>One charge the provider accepted.</summary>
public sealed record Charge(string ChargeId, string? Reference, long Amount, string? Currency);

/// <summary>
/// A trusted payment provider the candidate's service calls: <c>POST /charges</c> with
/// <c>{ "amount": 1250, "currency": "EUR", "reference": "..." }</c> answers <c>201 { "chargeId": "ch_..." }</c>.
/// It records every charge it accepts, so a test counts real charges rather than trusting the candidate's answers,
/// and it can be told to be slow or to fail.
/// </summary>
public sealed class PaymentProviderFake : IAsyncDisposable
{
    readonly ConcurrentQueue<Charge> charges = new();
    readonly WebApplication app;
    long calls;
    long delayTicks;
    int failEvery;

    PaymentProviderFake(WebApplication app) => this.app = app;

    /// <summary>Every call to /charges, accepted or not.</summary>
    public long Calls => Interlocked.Read(ref calls);

    public IReadOnlyList<Charge> Charges => charges.ToList();

    /// <summary>How long each call waits before it answers.</summary>
    public TimeSpan Delay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref delayTicks));
        set => Interlocked.Exchange(ref delayTicks, value.Ticks);
    }

    /// <summary>When n &gt; 0, every n-th call fails with 503 and charges nothing. Deterministic, so grades repeat.</summary>
    public int FailEvery
    {
        get => Volatile.Read(ref failEvery);
        set => Volatile.Write(ref failEvery, value);
    }

    public int ChargesFor(string reference) => charges.Count(c => c.Reference == reference);

    /// <summary>Forgets every charge and behaviour; tests call it first.</summary>
    public void Reset()
    {
        charges.Clear();
        Interlocked.Exchange(ref calls, 0);
        Delay = TimeSpan.Zero;
        FailEvery = 0;
    }

    public static async Task<PaymentProviderFake> StartAsync(string url, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        var fake = new PaymentProviderFake(builder.Build());
        fake.app.MapPost("/charges", fake.ChargeAsync);
        await fake.app.StartAsync(cancellationToken);
        return fake;
    }

    async Task<IResult> ChargeAsync(HttpRequest request)
    {
        var number = Interlocked.Increment(ref calls);
        if (Delay > TimeSpan.Zero) await Task.Delay(Delay);
        if (FailEvery > 0 && number % FailEvery == 0)
            return Results.Json(new { error = "provider unavailable" }, statusCode: StatusCodes.Status503ServiceUnavailable);

        ChargeRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<ChargeRequest>(request.Body, JsonOptions);
        }
        catch (JsonException)
        {
            body = null;
        }
        if (body is null || body.Amount <= 0)
            return Results.Json(new { error = "amount must be a positive integer (minor units)" }, statusCode: StatusCodes.Status400BadRequest);

        var charge = new Charge($"ch_{number:D6}", body.Reference, body.Amount, body.Currency);
        charges.Enqueue(charge);
        return Results.Json(new { chargeId = charge.ChargeId }, statusCode: StatusCodes.Status201Created);
    }

    static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    sealed record ChargeRequest(long Amount, string? Currency, string? Reference);

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
