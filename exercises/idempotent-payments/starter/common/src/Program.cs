// The payment service. Read the statement (README.md) first: configuration comes from REDIS_CONNECTION and
// PAYMENT_PROVIDER_URL, and the grader sets the listening address.
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();

app.MapGet("/health", () => Results.Ok("ok"));

app.MapPost("/payments", () => Results.StatusCode(StatusCodes.Status501NotImplemented));

app.Run();
