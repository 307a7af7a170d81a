extern alias judge;

using System.Diagnostics;
using CodeLab.TestSupport;
using judge::CodeLab.Judge;

namespace CodeLab.Grading.Tests;

/// <summary>
/// The grader's own Redis round trips (<see cref="RedisRoundTrips"/>), which tell a busy machine from a service that
/// never waited for Redis. A real redis-server from the sandbox image, published on loopback only: quiet, it answers
/// every PING; held by a Lua script that busy-waits 400 ms (Redis runs one script at a time, so every client
/// waits), the round trips see it, and Redis's slow log names the script when a client other than the judge ran it;
/// killed, the PINGs go unanswered.
/// </summary>
[Trait("Category", "Docker")]
public sealed class RedisRoundTripsDockerTests
{
    static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(100);

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_quiet_redis_is_fast_a_busy_one_slow_and_a_dead_one_unanswered()
    {
        var image = (await DockerSandbox.ImageAsync()).Tag;
        var name = "codelab-test-redis-" + Guid.NewGuid().ToString("N")[..12];
        Docker($"run -d --rm --name {name} -p 127.0.0.1::6379 --entrypoint redis-server {image} --bind 0.0.0.0 --protected-mode no --save '' --appendonly no");
        try
        {
            var endpoint = Docker($"port {name} 6379").Split('\n', StringSplitOptions.RemoveEmptyEntries)[0].Trim();
            await using var probe = await ConnectAsync(endpoint);
            await using var other = await ConnectAsync(endpoint);

            // How fast an idle Redis answers is this machine's business (CI runs grades beside this test): only that
            // every PING was answered and timed.
            await using (var quiet = RedisRoundTrips.Start(probe))
            {
                await Task.Delay(300, Ct);
                await quiet.StopAsync();
                quiet.Failed.ShouldBe(0);
                quiet.Slowest.ShouldBeGreaterThan(TimeSpan.Zero);
            }

            var since = DateTimeOffset.UtcNow;
            await using (var busy = RedisRoundTrips.Start(probe))
            {
                await Task.Delay(100, Ct);
                await other.CommandAsync("EVAL", BusyFor400Ms, "0");
                await busy.StopAsync();
                busy.Slowest.ShouldBeGreaterThan(TimeSpan.FromMilliseconds(250), "a PING sent while a script held Redis waited for it");
                busy.SlowerThan(Bound).ShouldBeTrue();
            }
            // The judge's own long command is not the service's; a service's (another client name) is, once.
            (await probe.SlowCommandsSinceAsync(since, Bound)).ShouldBeEmpty();
            await using (var service = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync($"{endpoint},name=service"))
                await service.GetDatabase().ScriptEvaluateAsync(BusyFor400Ms);
            var held = await probe.SlowCommandsSinceAsync(since, Bound);
            var scripts = held.Where(h => h.StartsWith("EVAL for ", StringComparison.Ordinal)).ToList();
            scripts.Count.ShouldBe(1, string.Join(", ", held));
            int.Parse(scripts[0]["EVAL for ".Length..^" ms".Length], System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(400);

            Docker($"kill {name}");
            await using (var dead = RedisRoundTrips.Start(probe))
            {
                var waited = Stopwatch.StartNew();
                while (dead.Failed == 0 && waited.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(50, Ct);
                await dead.StopAsync();
                dead.Failed.ShouldBeGreaterThan(0, "PINGs to a killed Redis were counted as answered");
                dead.SlowerThan(Bound).ShouldBeTrue();
            }
        }
        finally
        {
            Shell.Run(".", $"docker rm -f {name} > /dev/null 2>&1 || true");
        }
    }

    /// <summary>Busy-waits 400 ms inside Redis (TIME is allowed in scripts since Redis 5).</summary>
    const string BusyFor400Ms = """
        local t = redis.call('TIME')
        local start = t[1] * 1000000 + t[2]
        repeat
          local n = redis.call('TIME')
          if (n[1] * 1000000 + n[2]) - start > 400000 then return 1 end
        until false
        """;

    /// <summary>Connects once redis-server listens (it starts a moment after the container).</summary>
    static async Task<RedisProbe> ConnectAsync(string endpoint)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await RedisProbe.ConnectAsync(endpoint, Ct);
            }
            catch (StackExchange.Redis.RedisConnectionException) when (waited.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(200, Ct);
            }
        }
    }

    static string Docker(string arguments) => Shell.Output(".", "docker " + arguments);
}
