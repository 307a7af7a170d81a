using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CodeLab.Judge;

/// <summary>One charge the provider accepted.</summary>
public sealed record Charge(string ChargeId, string? Reference, long Amount, string? Currency);

/// <summary>
/// A trusted payment provider the candidate's service calls: <c>POST /charges</c> with
/// <c>{ "amount": 1250, "currency": "EUR", "reference": "..." }</c> answers <c>201 { "chargeId": "ch_..." }</c>.
/// It records every charge it accepts, so a test counts real charges rather than trusting the candidate's answers,
/// and it can be told to be slow or to fail.
/// <para>
/// Count <see cref="Charges"/> (everything accepted since <see cref="Reset"/>), never charges selected by their
/// reference: the reference is whatever the candidate's service sends, so a service that charged again under
/// another reference would go uncounted. A charge is tied to a payment by its <see cref="Charge.ChargeId"/>, which
/// this fake chose and the service can only pass on.
/// </para>
/// </summary>
public sealed class PaymentProviderFake : IAsyncDisposable
{
    readonly ConcurrentQueue<Charge> charges = new();
    readonly WebApplication app;
    readonly CallDelay delay = new();
    long calls;
    int failEvery;
    int unreachable;

    PaymentProviderFake(WebApplication app) => this.app = app;

    /// <summary>Every call to /charges, accepted or not.</summary>
    public long Calls => Interlocked.Read(ref calls);

    /// <summary>Every charge accepted since the last <see cref="Reset"/>, in order.</summary>
    public IReadOnlyList<Charge> Charges => charges.ToList();

    /// <summary>The charge this fake accepted under that id since the last reset, or null (an id it never issued).</summary>
    public Charge? Find(string? chargeId) => chargeId is null ? null : charges.FirstOrDefault(c => c.ChargeId == chargeId);

    /// <summary>How long each call waits before it answers (the delay when it arrives).</summary>
    public TimeSpan Delay
    {
        get => delay.Value;
        set => delay.Value = value;
    }

    /// <summary>Calls waiting out their <see cref="Delay"/> now answer at once (see <see cref="CallDelay"/>).</summary>
    public void EndDelays() => delay.EndNow();

    /// <summary>When n &gt; 0, every n-th call fails with 503 and charges nothing. Deterministic, so grades repeat.</summary>
    public int FailEvery
    {
        get => Volatile.Read(ref failEvery);
        set => Volatile.Write(ref failEvery, value);
    }

    /// <summary>
    /// When true, every call is cut off without an answer (the connection is aborted) and charges nothing: to the
    /// caller the provider cannot be reached.
    /// </summary>
    public bool Unreachable
    {
        get => Volatile.Read(ref unreachable) != 0;
        set => Volatile.Write(ref unreachable, value ? 1 : 0);
    }

    /// <summary>
    /// Waits until at least <paramref name="count"/> calls have arrived since the last reset (a call counts as soon as
    /// it arrives, before any <see cref="Delay"/>), so a test can act while a call is in flight without guessing how
    /// long the service takes to get there. False when <paramref name="limit"/> passed first.
    /// </summary>
    public async Task<bool> WaitForCallsAsync(long count, TimeSpan limit, CancellationToken cancellationToken = default)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (Calls < count)
        {
            if (waited.Elapsed >= limit) return false;
            await Task.Delay(10, cancellationToken);
        }
        return true;
    }

    /// <summary>Forgets every charge and behaviour; tests call it first.</summary>
    public void Reset()
    {
        charges.Clear();
        Interlocked.Exchange(ref calls, 0);
        Delay = TimeSpan.Zero;
        FailEvery = 0;
        Unreachable = false;
    }

    public static async Task<PaymentProviderFake> StartAsync(string url, CancellationToken cancellationToken)
    {
        var fake = new PaymentProviderFake(FakeHosting.Build(url));
        fake.app.MapPost("/charges", fake.ChargeAsync);
        await fake.app.StartAsync(cancellationToken);
        return fake;
    }

    async Task<IResult> ChargeAsync(HttpRequest request)
    {
        // Its wait is taken before the call is counted: a test that sees the call and ends the delays ends its wait too.
        var wait = delay.Arrive();
        var number = Interlocked.Increment(ref calls);
        // What a call does is decided when it arrives, so a test that changes the behaviour while the call waits out
        // its delay does not change that call's fate.
        var failEvery = FailEvery;
        var cutOff = Unreachable;
        await wait.WaitAsync();
        if (cutOff)
        {
            request.HttpContext.Abort();
            return Results.Empty;
        }
        if (failEvery > 0 && number % failEvery == 0)
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
