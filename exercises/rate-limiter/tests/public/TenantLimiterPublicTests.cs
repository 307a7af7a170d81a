using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Throttling;
using Xunit;

namespace Throttling.Tests;

[Trait("level", "mid")]
public sealed class TenantLimiterPublicTests
{
    [Fact(DisplayName = "A listed tenant gets its own limit and every other tenant the default")]
    [Trait("criterion", "tenants")]
    public void Listed_tenant_has_own_limit()
    {
        var options = new RateLimitOptions
        {
            Default = new BucketLimit(2, 1),
            Tenants = { ["acme"] = new BucketLimit(4, 1) },
        };
        var limiter = new TenantRateLimiter(options, new FakeTimeProvider());

        Enumerable.Range(0, 10).Count(_ => limiter.TryAcquire("acme").Allowed).ShouldBe(4);
        Enumerable.Range(0, 10).Count(_ => limiter.TryAcquire("globex").Allowed).ShouldBe(2);
    }

    [Fact(DisplayName = "Past the limit the middleware answers 429 Too Many Requests")]
    [Trait("criterion", "http")]
    public async Task Middleware_answers_429()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RateLimiting:Default:Capacity"] = "1",
            ["RateLimiting:Default:TokensPerSecond"] = "1",
        });
        builder.Services.AddTenantRateLimiting(builder.Configuration.GetSection("RateLimiting"));
        await using var app = builder.Build();
        app.UseTenantRateLimiting();
        app.MapGet("/hello", () => "hello");
        await app.StartAsync(TestContext.Current.CancellationToken);
        using var client = app.GetTestClient();
        client.DefaultRequestHeaders.Add("X-Tenant-Id", "acme");

        (await client.GetAsync("/hello", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/hello", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
    }
}
