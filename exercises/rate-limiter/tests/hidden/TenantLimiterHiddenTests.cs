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
public sealed class TenantLimiterHiddenTests
{
    readonly FakeTimeProvider time = new();

    TenantRateLimiter Limiter(BucketLimit defaultLimit, TimeSpan? idleTimeout = null, params (string Tenant, BucketLimit Limit)[] tenants)
    {
        var options = new RateLimitOptions { Default = defaultLimit, IdleTimeout = idleTimeout ?? TimeSpan.FromMinutes(10) };
        foreach (var (tenant, limit) in tenants) options.Tenants[tenant] = limit;
        return new TenantRateLimiter(options, time);
    }

    static int Admitted(TenantRateLimiter limiter, string tenant, int calls) =>
        Enumerable.Range(0, calls).Count(_ => limiter.TryAcquire(tenant).Allowed);

    [Fact(DisplayName = "Each listed tenant gets its own capacity and refill rate")]
    [Trait("criterion", "tenants")]
    public void Tenant_limits_apply()
    {
        var limiter = Limiter(new BucketLimit(2, 1), null, ("acme", new BucketLimit(5, 10)), ("globex", new BucketLimit(1, 0.5)));

        limiter.LimitFor("acme").ShouldBe(new BucketLimit(5, 10));
        limiter.LimitFor("initech").ShouldBe(new BucketLimit(2, 1), "a tenant that is not listed gets the default");
        Admitted(limiter, "acme", 10).ShouldBe(5);
        Admitted(limiter, "globex", 10).ShouldBe(1);
        time.Advance(TimeSpan.FromMilliseconds(300));
        Admitted(limiter, "acme", 10).ShouldBe(3, "acme refills 10 tokens/s: 3 tokens in 300 ms");
        Admitted(limiter, "globex", 10).ShouldBe(0, "globex refills 0.5 tokens/s: not a whole token in 300 ms");
    }

    [Fact(DisplayName = "Limits are read from the RateLimiting configuration section")]
    [Trait("criterion", "tenants")]
    public void Limits_bind_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RateLimiting:Default:Capacity"] = "3",
            ["RateLimiting:Default:TokensPerSecond"] = "1",
            ["RateLimiting:Tenants:acme:Capacity"] = "7",
            ["RateLimiting:Tenants:acme:TokensPerSecond"] = "2.5",
            ["RateLimiting:IdleTimeout"] = "00:05:00",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddTenantRateLimiting(configuration.GetSection("RateLimiting"));
        using var provider = services.BuildServiceProvider();

        var limiter = provider.GetRequiredService<TenantRateLimiter>();

        provider.GetRequiredService<TenantRateLimiter>().ShouldBeSameAs(limiter, "the limiter must be a singleton, or every request gets fresh buckets");
        limiter.LimitFor("acme").ShouldBe(new BucketLimit(7, 2.5));
        limiter.LimitFor("anyone").ShouldBe(new BucketLimit(3, 1));
        Admitted(limiter, "acme", 10).ShouldBe(7);
        time.Advance(TimeSpan.FromSeconds(2));
        Admitted(limiter, "acme", 10).ShouldBe(5, "the registered TimeProvider must drive refills: 2 s at 2.5 tokens/s");
    }

    [Fact(DisplayName = "Draining one tenant leaves the others untouched")]
    [Trait("criterion", "isolation")]
    public void Tenants_are_isolated()
    {
        var limiter = Limiter(new BucketLimit(3, 1), null, ("acme", new BucketLimit(3, 1)));
        Admitted(limiter, "acme", 10).ShouldBe(3);

        Admitted(limiter, "globex", 10).ShouldBe(3);
        Admitted(limiter, "initech", 10).ShouldBe(3);
    }

    [Fact(DisplayName = "Parallel requests of one tenant are never admitted beyond its capacity")]
    [Trait("criterion", "concurrency")]
    public void No_over_admission_per_tenant()
    {
        const int capacity = 100_000;
        ParallelCallers.EveryRoundRight(
            setup: _ => (Limiter: Limiter(new BucketLimit(2, 1), null, ("acme", new BucketLimit(capacity, 1))), Admitted: new long[1]),
            work: (round, tick) =>
            {
                // Call until denied: the clock does not move, so a correct bucket admits exactly its capacity in all.
                long mine = 0;
                while (round.Limiter.TryAcquire("acme").Allowed)
                {
                    mine++;
                    tick();
                }
                Interlocked.Add(ref round.Admitted[0], mine);
            },
            check: round => round.Admitted[0] == capacity ? null
                : $"{ParallelCallers.Threads} threads calling until denied were admitted {round.Admitted[0]} times on a capacity of {capacity}");
    }

    [Fact(DisplayName = "Buckets idle past the timeout are dropped from memory")]
    [Trait("criterion", "eviction")]
    public void Idle_buckets_are_evicted()
    {
        var idle = TimeSpan.FromMinutes(1);
        var limiter = Limiter(new BucketLimit(5, 1), idle);
        for (var i = 0; i < 1000; i++) limiter.TryAcquire($"one-off-{i}");
        limiter.TrackedKeys.ShouldBeGreaterThanOrEqualTo(1000, "1000 tenants made a call and have not refilled yet");

        time.Advance(idle * 2);
        limiter.TryAcquire("newcomer");

        limiter.TrackedKeys.ShouldBe(1,
            $"after twice the idle timeout the 1000 one-off tenants' buckets should be gone and the newcomer's (still refilling) kept; {limiter.TrackedKeys} buckets are held");
    }

    [Fact(DisplayName = "The configured IdleTimeout decides: buckets go after twice a 20 s timeout, and stay for 30 minutes under a 1 h one")]
    [Trait("criterion", "eviction")]
    public void Idle_timeout_is_the_configured_one()
    {
        var shortIdle = Limiter(new BucketLimit(5, 1), TimeSpan.FromSeconds(20));
        for (var i = 0; i < 100; i++) shortIdle.TryAcquire($"one-off-{i}");
        time.Advance(TimeSpan.FromSeconds(40));
        shortIdle.TryAcquire("newcomer");
        var shortHeld = shortIdle.TrackedKeys;

        var longIdle = Limiter(new BucketLimit(5, 1), TimeSpan.FromHours(1));
        for (var i = 0; i < 100; i++) longIdle.TryAcquire($"regular-{i}");
        time.Advance(TimeSpan.FromMinutes(30));
        longIdle.TryAcquire("newcomer");

        shortHeld.ShouldBe(1, $"IdleTimeout 20 s: 40 s later the 100 full, unused buckets should be gone and the newcomer's kept ({shortHeld} held)");
        longIdle.TrackedKeys.ShouldBe(101, $"IdleTimeout 1 h: buckets used 30 minutes ago must be kept ({longIdle.TrackedKeys} of 101 held)");
    }

    [Fact(DisplayName = "A tenant limiter takes several permits at once against the tenant's own capacity, and refuses 0 or more than that capacity")]
    [Trait("criterion", "bucket")]
    public void Tenant_permits()
    {
        var limiter = Limiter(new BucketLimit(2, 1), null, ("acme", new BucketLimit(6, 1)));

        limiter.TryAcquire("acme", 4).Allowed.ShouldBeTrue("4 of acme's 6 tokens are available");
        limiter.TryAcquire("acme", 3).Allowed.ShouldBeFalse("only 2 tokens are left, 3 were asked for");
        limiter.TryAcquire("acme", 2).Remaining.ShouldBe(0L, "the 2 tokens left are taken together");
        Should.Throw<ArgumentOutOfRangeException>(() => limiter.TryAcquire("acme", 0), "0 permits");
        Should.Throw<ArgumentOutOfRangeException>(() => limiter.TryAcquire("acme", 7), "7 permits never fit acme's 6");
        Should.Throw<ArgumentOutOfRangeException>(() => limiter.TryAcquire("initech", 3), "3 permits never fit the default capacity of 2");
    }

    [Fact(DisplayName = "Without a TimeProvider in the container, AddTenantRateLimiting registers TimeProvider.System; with one, it adds none")]
    [Trait("criterion", "tenants")]
    public void Registers_system_clock_only_when_missing()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RateLimiting:Default:Capacity"] = "2",
            ["RateLimiting:Default:TokensPerSecond"] = "1",
        }).Build();
        var bare = new ServiceCollection();
        bare.AddTenantRateLimiting(configuration.GetSection("RateLimiting"));
        using var withoutClock = bare.BuildServiceProvider();
        var withClock = new ServiceCollection();
        withClock.AddSingleton<TimeProvider>(time);
        withClock.AddTenantRateLimiting(configuration.GetSection("RateLimiting"));
        using var withOwnClock = withClock.BuildServiceProvider();

        withoutClock.GetService<TimeProvider>().ShouldBeSameAs(TimeProvider.System, "with no TimeProvider registered, TimeProvider.System must be");
        withoutClock.GetRequiredService<TenantRateLimiter>().TryAcquire("acme").Allowed.ShouldBeTrue("the limiter must work on the system clock");
        withOwnClock.GetServices<TimeProvider>().ShouldBe([time], "a TimeProvider was registered already: no other may be added");
    }

    [Fact(DisplayName = "Tenants never wait for each other: while one tenant's call is held up inside the limiter (its clock read stalls), another tenant's call completes")]
    [Trait("criterion", "concurrency")]
    public void One_tenant_does_not_hold_up_another()
    {
        var clock = new StallingClock();
        var options = new RateLimitOptions { Default = new BucketLimit(5, 1), IdleTimeout = TimeSpan.FromMinutes(10) };
        var limiter = new TenantRateLimiter(options, clock);
        limiter.TryAcquire("slow").Allowed.ShouldBeTrue();
        limiter.TryAcquire("quick").Allowed.ShouldBeTrue();

        var slow = new Thread(() =>
        {
            clock.StallThisThread();
            limiter.TryAcquire("slow");
        }) { IsBackground = true };
        slow.Start();
        clock.Stalled.Wait(TimeSpan.FromSeconds(5)).ShouldBeTrue("the held-up tenant's call never read the clock");
        var quick = new Thread(() => limiter.TryAcquire("quick")) { IsBackground = true };
        quick.Start();
        var completed = quick.Join(TimeSpan.FromSeconds(3));
        clock.Release();
        slow.Join(TimeSpan.FromSeconds(5));
        quick.Join(TimeSpan.FromSeconds(5));

        completed.ShouldBeTrue("tenant 'quick' waited for tenant 'slow': one lock is shared by all tenants while a bucket is updated, so one slow call holds up every tenant");
    }

    /// <summary>A fake clock that, for one chosen thread, blocks its first read until released.</summary>
    sealed class StallingClock : TimeProvider
    {
        readonly FakeTimeProvider inner = new();
        readonly ManualResetEventSlim gate = new(false);
        [ThreadStatic] static bool stallHere;

        public ManualResetEventSlim Stalled { get; } = new(false);

        public void StallThisThread() => stallHere = true;

        public void Release() => gate.Set();

        void MaybeStall()
        {
            if (!stallHere) return;
            stallHere = false;
            Stalled.Set();
            gate.Wait(TimeSpan.FromSeconds(8));
        }

        public override long GetTimestamp()
        {
            MaybeStall();
            return inner.GetTimestamp();
        }

        public override long TimestampFrequency
        {
            get
            {
                MaybeStall();
                return inner.TimestampFrequency;
            }
        }

        public override DateTimeOffset GetUtcNow()
        {
            MaybeStall();
            return inner.GetUtcNow();
        }
    }

    [Fact(DisplayName = "A drained bucket is not forgotten while it is still refilling")]
    [Trait("criterion", "eviction")]
    public void Refilling_buckets_are_kept()
    {
        // 5 tokens at 0.01 tokens/s take 500 s to refill: forgetting this bucket after a 60 s idle timeout
        // would hand the tenant a full bucket early.
        var idle = TimeSpan.FromMinutes(1);
        var limiter = Limiter(new BucketLimit(5, 0.01), idle);
        Admitted(limiter, "busy", 5).ShouldBe(5);

        time.Advance(idle * 2);
        limiter.TryAcquire("someone-else");
        time.Advance(idle * 2);
        limiter.TryAcquire("someone-else");

        Admitted(limiter, "busy", 5).ShouldBe(2, "after 240 s at 0.01 tokens/s the drained tenant has 2.4 tokens, not a full bucket");
    }

    [Fact(DisplayName = "An admitted request reaches the endpoint with RateLimit-Limit and RateLimit-Remaining headers")]
    [Trait("criterion", "http")]
    public async Task Admitted_request_has_headers()
    {
        await using var app = await LimitedApp.StartAsync(time, capacity: 3, tokensPerSecond: 1);

        var response = await app.GetAsync("acme");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldBe("handled");
        LimitedApp.Header(response, "RateLimit-Limit").ShouldBe("3");
        LimitedApp.Header(response, "RateLimit-Remaining").ShouldBe("2");
    }

    [Fact(DisplayName = "Past the limit the answer is 429 with Retry-After in whole seconds, rounded up")]
    [Trait("criterion", "http")]
    public async Task Denied_request_has_retry_after()
    {
        await using var app = await LimitedApp.StartAsync(time, capacity: 2, tokensPerSecond: 0.25);
        await app.GetAsync("acme");
        await app.GetAsync("acme");

        var denied = await app.GetAsync("acme");
        time.Advance(TimeSpan.FromSeconds(1.5));
        var later = await app.GetAsync("acme");

        denied.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        LimitedApp.Header(denied, "Retry-After").ShouldBe("4", "one token takes 4 s at 0.25 tokens/s");
        LimitedApp.Header(denied, "RateLimit-Remaining").ShouldBe("0");
        LimitedApp.Header(denied, "RateLimit-Limit").ShouldBe("2");
        later.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        LimitedApp.Header(later, "Retry-After").ShouldBe("3", "2.5 s are left after waiting 1.5 s; rounded up so a client retrying on time gets through");
    }

    [Fact(DisplayName = "A client that waits for Retry-After gets through")]
    [Trait("criterion", "http")]
    public async Task Waiting_retry_after_gets_through()
    {
        await using var app = await LimitedApp.StartAsync(time, capacity: 1, tokensPerSecond: 0.4);
        await app.GetAsync("acme");
        var denied = await app.GetAsync("acme");
        var seconds = int.Parse(LimitedApp.Header(denied, "Retry-After") ?? "0");

        time.Advance(TimeSpan.FromSeconds(seconds));

        (await app.GetAsync("acme")).StatusCode.ShouldBe(HttpStatusCode.OK, $"the client waited the {seconds} s of Retry-After");
    }

    [Fact(DisplayName = "A denied request never reaches the endpoint")]
    [Trait("criterion", "http")]
    public async Task Denied_request_is_not_handled()
    {
        await using var app = await LimitedApp.StartAsync(time, capacity: 2, tokensPerSecond: 1);

        for (var i = 0; i < 5; i++) await app.GetAsync("acme");

        app.Handled.ShouldBe(2, "5 requests on a capacity of 2: only 2 may reach the endpoint");
    }

    [Fact(DisplayName = "A request without X-Tenant-Id is refused with 400 Bad Request")]
    [Trait("criterion", "http")]
    public async Task Missing_tenant_is_bad_request()
    {
        await using var app = await LimitedApp.StartAsync(time, capacity: 2, tokensPerSecond: 1);

        var response = await app.GetAsync(tenant: null);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        app.Handled.ShouldBe(0);
    }

    [Fact(DisplayName = "An empty or whitespace-only X-Tenant-Id is refused with 400 Bad Request")]
    [Trait("criterion", "http")]
    public async Task Blank_tenant_is_bad_request()
    {
        await using var app = await LimitedApp.StartAsync(time, capacity: 2, tokensPerSecond: 1);

        var empty = await app.GetAsync("");
        var blank = await app.GetAsync("   ");

        empty.StatusCode.ShouldBe(HttpStatusCode.BadRequest, "an empty X-Tenant-Id names no tenant");
        blank.StatusCode.ShouldBe(HttpStatusCode.BadRequest, "a whitespace-only X-Tenant-Id names no tenant");
        app.Handled.ShouldBe(0);
    }

    [Fact(DisplayName = "A listed tenant's answers carry its own capacity in RateLimit-Limit, and its own bucket")]
    [Trait("criterion", "http")]
    public async Task Listed_tenant_headers()
    {
        await using var app = await LimitedApp.StartAsync(time, capacity: 2, tokensPerSecond: 1, ("acme", 7, 1));

        var acme = await app.GetAsync("acme");
        var other = await app.GetAsync("globex");

        LimitedApp.Header(acme, "RateLimit-Limit").ShouldBe("7", "acme is listed with a capacity of 7");
        LimitedApp.Header(acme, "RateLimit-Remaining").ShouldBe("6");
        LimitedApp.Header(other, "RateLimit-Limit").ShouldBe("2", "globex is not listed: the default capacity of 2");
    }

    [Fact(DisplayName = "Tenants are limited separately through the middleware")]
    [Trait("criterion", "isolation")]
    public async Task Middleware_isolates_tenants()
    {
        await using var app = await LimitedApp.StartAsync(time, capacity: 1, tokensPerSecond: 1);

        (await app.GetAsync("acme")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await app.GetAsync("acme")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await app.GetAsync("globex")).StatusCode.ShouldBe(HttpStatusCode.OK, "globex has its own bucket");
    }

    /// <summary>An in-process app with the candidate's middleware in front of one endpoint that counts its calls.</summary>
    sealed class LimitedApp : IAsyncDisposable
    {
        readonly WebApplication app;
        HttpClient client = null!;
        int handled;

        LimitedApp(WebApplication app) => this.app = app;

        public int Handled => Volatile.Read(ref handled);

        public static async Task<LimitedApp> StartAsync(TimeProvider time, int capacity, double tokensPerSecond,
            params (string Tenant, int Capacity, double TokensPerSecond)[] tenants)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseTestServer();
            builder.Services.AddSingleton(time);
            var invariant = System.Globalization.CultureInfo.InvariantCulture;
            var settings = new Dictionary<string, string?>
            {
                ["RateLimiting:Default:Capacity"] = capacity.ToString(invariant),
                ["RateLimiting:Default:TokensPerSecond"] = tokensPerSecond.ToString(invariant),
            };
            foreach (var tenant in tenants)
            {
                settings[$"RateLimiting:Tenants:{tenant.Tenant}:Capacity"] = tenant.Capacity.ToString(invariant);
                settings[$"RateLimiting:Tenants:{tenant.Tenant}:TokensPerSecond"] = tenant.TokensPerSecond.ToString(invariant);
            }
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Services.AddTenantRateLimiting(builder.Configuration.GetSection("RateLimiting"));
            var limited = new LimitedApp(builder.Build());
            limited.app.UseTenantRateLimiting();
            limited.app.MapGet("/items", () =>
            {
                Interlocked.Increment(ref limited.handled);
                return "handled";
            });
            await limited.app.StartAsync(TestContext.Current.CancellationToken);
            limited.client = limited.app.GetTestClient();
            return limited;
        }

        public Task<HttpResponseMessage> GetAsync(string? tenant)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/items");
            if (tenant is not null) request.Headers.TryAddWithoutValidation("X-Tenant-Id", tenant);
            return client.SendAsync(request, TestContext.Current.CancellationToken);
        }

        public static string? Header(HttpResponseMessage response, string name) =>
            response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
            : response.Content.Headers.TryGetValues(name, out values) ? string.Join(",", values) : null;

        public async ValueTask DisposeAsync()
        {
            client.Dispose();
            await app.DisposeAsync();
        }
    }
}
