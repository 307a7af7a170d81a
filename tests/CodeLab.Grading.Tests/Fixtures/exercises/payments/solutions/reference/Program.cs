using System.Text.Json;
using StackExchange.Redis;

var builder = WebApplication.CreateBuilder(args);
var redis = ConnectionMultiplexer.Connect(builder.Configuration["REDIS_CONNECTION"] + ",abortConnect=false");
var provider = new HttpClient { BaseAddress = new Uri(builder.Configuration["PAYMENT_PROVIDER_URL"]!) };
var app = builder.Build();

app.MapGet("/health", () => redis.IsConnected ? Results.Ok("ok") : Results.StatusCode(503));

app.MapPost("/payments", async (HttpRequest request, PaymentRequest? body) =>
{
    var key = request.Headers["Idempotency-Key"].ToString();
    if (string.IsNullOrWhiteSpace(key)) return Results.BadRequest(new { error = "Idempotency-Key header is required" });
    if (body is null || body.Amount <= 0 || string.IsNullOrWhiteSpace(body.Currency))
        return Results.BadRequest(new { error = "amount must be positive and currency set" });

    var db = redis.GetDatabase();
    var stored = await db.StringGetAsync("payment:" + key);
    if (stored.HasValue) return Results.Content(stored!, "application/json", statusCode: 201);

    var charge = await provider.PostAsJsonAsync("/charges", new { amount = body.Amount, currency = body.Currency, reference = key });
    if (!charge.IsSuccessStatusCode) return Results.StatusCode(502);
    var chargeId = (await charge.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("chargeId").GetString();
    var response = JsonSerializer.Serialize(new { paymentId = "pay_" + Guid.NewGuid().ToString("N"), chargeId, amount = body.Amount, currency = body.Currency },
        new JsonSerializerOptions(JsonSerializerDefaults.Web));
    await db.StringSetAsync("payment:" + key, response, TimeSpan.FromHours(24));
    return Results.Content(response, "application/json", statusCode: 201);
});

app.Run();

record PaymentRequest(long Amount, string? Currency);
