// The caching service. Read the statement (README.md) first: configuration comes from REDIS_CONNECTION, ORIGIN_URL
// and CACHE_TTL_SECONDS, and the grader sets the listening address.
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();

app.MapGet("/health", () => Results.Ok("ok"));

app.MapGet("/products/{id}", (string id) => Results.StatusCode(StatusCodes.Status501NotImplemented));

app.MapPut("/products/{id}", (string id) => Results.StatusCode(StatusCodes.Status501NotImplemented));

app.Run();
