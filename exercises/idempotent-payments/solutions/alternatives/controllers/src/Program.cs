// The idempotent payment service as MVC controllers. Everything below leans on the framework's own reflection
// (controller discovery, options binding, typed clients, UseMiddleware<T>, hosted services): none of it is the
// candidate's own reflection, so the policy allows all of it.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.AddFilter("Microsoft", LogLevel.Warning).AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);

builder.Services.AddOptions<ServiceOptions>()
    .Bind(builder.Configuration)
    .ValidateDataAnnotations()
    .ValidateOnStart();
builder.Services.AddSingleton<RedisConnection>();
builder.Services.AddHostedService(services => services.GetRequiredService<RedisConnection>());
builder.Services.AddSingleton<IdempotencyStore>();
builder.Services.AddHttpClient<ProviderClient>((services, http) =>
{
    http.BaseAddress = new Uri(services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ServiceOptions>>().Value.PaymentProviderUrl);
    http.Timeout = TimeSpan.FromSeconds(10);
});
builder.Services.AddControllers();

var app = builder.Build();
app.UseMiddleware<RequestTiming>();
app.MapControllers();
app.Run();
