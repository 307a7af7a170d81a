var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/leak", () => Results.File("/proc/self/environ"));
app.Run();
