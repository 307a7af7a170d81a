// The rate-limited API. Read the statement (README.md) first: configuration comes from REDIS_CONNECTION,
// RATE_LIMIT_CAPACITY and RATE_LIMIT_REFILL_PER_SECOND, and the grader sets the listening address.
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();

app.MapGet("/health", () => Results.Ok("ok"));

app.Map("/api/{**path}", () => Results.StatusCode(StatusCodes.Status501NotImplemented));

app.Run();
