var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddJsonFile("/proc/self/environ", optional: true);
var app = builder.Build();
app.Run();
