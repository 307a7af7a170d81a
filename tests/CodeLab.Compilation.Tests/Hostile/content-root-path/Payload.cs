var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = "/proc/self" });
var app = builder.Build();
app.Run();
