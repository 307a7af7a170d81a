// The webhook ingestion service. Read the statement (README.md) first: configuration comes from REDIS_CONNECTION,
// LEDGER_URL and WEBHOOK_SECRET, and the grader sets the listening address.
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();

app.MapGet("/health", () => Results.Ok("ok"));

app.MapPost("/webhooks", () => Results.StatusCode(StatusCodes.Status501NotImplemented));

app.Run();
