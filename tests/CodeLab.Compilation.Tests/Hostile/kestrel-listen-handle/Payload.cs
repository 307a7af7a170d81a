var builder = WebApplication.CreateBuilder(args);
builder.WebHost.ConfigureKestrel(k => k.ListenHandle(1));
var app = builder.Build();
app.Run();
