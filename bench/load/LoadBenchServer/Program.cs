// GET / answers "ok" at once: the cheapest endpoint Kestrel serves, so the generators, not the server, are compared.
using System.Net;

var port = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5099;
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
var app = builder.Build();
app.MapGet("/", () => "ok");
app.Run();
