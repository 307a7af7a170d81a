// The workspace's service: answer GET /health.
var app = WebApplication.CreateBuilder(args).Build();
app.Run();
