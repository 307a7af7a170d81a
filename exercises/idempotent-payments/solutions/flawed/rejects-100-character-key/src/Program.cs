using StackExchange.Redis;

// The idempotent payment service: the endpoint reads like the protocol (validate, look up, claim, charge, store).
var builder = WebApplication.CreateBuilder(args);
var redis = ConnectionMultiplexer.Connect(Required(builder.Configuration, "REDIS_CONNECTION") + ",abortConnect=false");
builder.Services.AddSingleton(new IdempotencyStore(redis));
builder.Services.AddSingleton(new PaymentProvider(new Uri(Required(builder.Configuration, "PAYMENT_PROVIDER_URL"))));
var app = builder.Build();

app.MapGet("/health", () => redis.IsConnected ? Results.Ok("ok") : Results.StatusCode(StatusCodes.Status503ServiceUnavailable));

app.MapPost("/payments", async (HttpRequest http, IdempotencyStore store, PaymentProvider provider) =>
{
    var key = http.Headers["Idempotency-Key"].ToString();
    if (string.IsNullOrWhiteSpace(key) || key.Length >= 100)
        return Results.BadRequest(new { error = "an Idempotency-Key header of 1 to 100 characters is required" });
    var payment = await PaymentRequest.ReadAsync(http);
    if (payment is null)
        return Results.BadRequest(new { error = "the body must be { \"amount\": <positive whole number>, \"currency\": \"<3 upper-case letters>\" }" });

    // 1. Answered before: the stored answer, if the request is the same.
    if (await store.FindAsync(key) is { } stored) return Replay(stored, payment);

    // 2. Claim the key atomically; whoever loses the race did not charge anything.
    var claim = await store.TryClaimAsync(key, payment.Fingerprint);
    if (claim is null)
    {
        if (await store.FindAsync(key) is { } finished) return Replay(finished, payment);
        var owner = await store.ClaimFingerprintAsync(key);
        return owner is not null && owner != payment.Fingerprint
            ? Mismatch()
            : Results.Json(new { error = "a request with this Idempotency-Key is being processed; retry shortly" }, statusCode: StatusCodes.Status409Conflict);
    }

    try
    {
        // The answer may have been stored between our look-up and our claim.
        if (await store.FindAsync(key) is { } late) return Replay(late, payment);

        var chargeId = await provider.ChargeAsync(payment, key);
        if (chargeId is null)
            return Results.Json(new { error = "the payment provider failed; retry with the same Idempotency-Key" }, statusCode: StatusCodes.Status502BadGateway);

        var answer = new StoredAnswer(payment.Fingerprint, StatusCodes.Status201Created,
            PaymentRequest.Answer("pay_" + Guid.NewGuid().ToString("N"), chargeId, payment));
        await store.SaveAsync(key, answer);
        return Results.Content(answer.Body, "application/json", statusCode: answer.Status);
    }
    finally
    {
        await store.ReleaseAsync(key, claim);
    }
});

app.Run();

static IResult Replay(StoredAnswer stored, PaymentRequest payment) =>
    stored.Fingerprint == payment.Fingerprint ? Results.Content(stored.Body, "application/json", statusCode: stored.Status) : Mismatch();

static IResult Mismatch() =>
    Results.Json(new { error = "this Idempotency-Key was used with a different request" }, statusCode: StatusCodes.Status422UnprocessableEntity);

static string Required(IConfiguration configuration, string name) =>
    configuration[name] is { Length: > 0 } value ? value : throw new InvalidOperationException($"Set the {name} environment variable.");
