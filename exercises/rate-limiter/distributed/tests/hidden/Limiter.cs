using System.Collections.Concurrent;
using System.Diagnostics;
using CodeLab.Judge;
using CodeLab.Load;

namespace RateLimiter.Distributed.Tests;

/// <summary>One answer of the API: status, the rate-limit headers, and how long it took.</summary>
sealed record Hit(int Status, long? Limit, long? Remaining, string? RetryAfter, TimeSpan Took)
{
    public bool Admitted => Status == 200;
    public override string ToString() => $"{Status} (limit {Limit?.ToString() ?? "-"}, remaining {Remaining?.ToString() ?? "-"}, retry-after {RetryAfter ?? "-"}, {Took.TotalMilliseconds:0} ms)";
}

static class Limiter
{
    /// <summary>
    /// The limit the grader configures (RATE_LIMIT_CAPACITY, RATE_LIMIT_REFILL_PER_SECOND in exercise.json): not the
    /// statement's examples (20 and 2), so a service that hard-codes those fails. A slow refill below one token per
    /// second keeps the tests' bounds tight (little comes back while requests are under way, so three buckets
    /// cannot pass for one however slowly the grading machine answers), and a whole number of seconds per token (2)
    /// makes Retry-After's rounding visible: rounded up, an almost empty bucket says 2; truncated, 1.
    /// </summary>
    public const int Capacity = 12;
    public const double RefillPerSecond = 0.5;

    /// <summary>How long an empty bucket takes to be full again.</summary>
    public static readonly TimeSpan TimeToFull = TimeSpan.FromSeconds(Capacity / RefillPerSecond);

    public static string NewTenant() => "tenant-" + Guid.NewGuid().ToString("N")[..12];

    public static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public static Task<Hit> HitAsync(string? tenant, int replica = 0, string path = "/api/orders") =>
        HitAsync(Service.Replicas[replica % Service.Replicas.Count], tenant, path);

    public static async Task<Hit> HitAsync(HttpClient client, string? tenant, string path = "/api/orders")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (tenant is not null) request.Headers.TryAddWithoutValidation("X-Tenant-Id", tenant);
        var started = Stopwatch.GetTimestamp();
        using var response = await client.SendAsync(request, Ct);
        await response.Content.ReadAsByteArrayAsync(Ct);
        return new Hit((int)response.StatusCode, Header(response, "RateLimit-Limit"), Header(response, "RateLimit-Remaining"),
            response.Headers.TryGetValues("Retry-After", out var retry) ? string.Join(",", retry) : null,
            Stopwatch.GetElapsedTime(started));
    }

    static long? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) && long.TryParse(values.FirstOrDefault(), out var value) ? value : null;

    /// <summary><paramref name="count"/> requests one after another, replica after replica when <paramref name="spread"/>.</summary>
    public static async Task<List<Hit>> SequenceAsync(string tenant, int count, bool spread = false)
    {
        var hits = new List<Hit>();
        for (var i = 0; i < count; i++) hits.Add(await HitAsync(tenant, spread ? i : 0));
        return hits;
    }

    /// <summary>
    /// <paramref name="count"/> requests of one tenant released at the same instant (the load engine's Burst), spread
    /// over the replicas in turn. Returns the answers and how long the burst took from release to the last answer.
    /// </summary>
    public static async Task<(IReadOnlyList<Hit> Hits, TimeSpan Took)> BurstAsync(string tenant, int count)
    {
        var hits = new ConcurrentQueue<Hit>();
        var replicas = Service.Replicas;
        var scenario = Scenario.Create("burst", async ctx =>
        {
            var hit = await HitAsync(replicas[(int)(ctx.InvocationNumber % replicas.Count)], tenant);
            hits.Enqueue(hit);
            return Response.Ok(hit.Status);
        }).WithLoadSimulations(Simulation.Burst(count));
        var started = Stopwatch.GetTimestamp();
        await LoadRunner.RegisterScenarios(scenario).RunAsync(Ct);
        return (hits.ToArray(), Stopwatch.GetElapsedTime(started));
    }

    /// <summary>The most a correct bucket can admit from a full start over <paramref name="elapsed"/>.</summary>
    public static int MostAdmitted(TimeSpan elapsed) => Capacity + (int)Math.Floor(RefillPerSecond * elapsed.TotalSeconds);

    /// <summary>Requests <see cref="SpendAsync"/> sends at most: a full bucket and then some.</summary>
    public const int SpendAtMost = Capacity + 20;

    /// <summary>
    /// Spends a tenant's bucket on one replica: requests one after another until one is denied (the last hit is then a
    /// 429), one is neither 200 nor 429, more are admitted than a full bucket plus its refill allows, or
    /// <see cref="SpendAtMost"/> were sent. A fixed count (capacity + 1) would assume the requests take less than the
    /// time a token needs to come back; on a busy grading machine they may not, and a correct bucket would then
    /// rightly admit the last one.
    /// </summary>
    public static async Task<(List<Hit> Hits, TimeSpan Took)> SpendAsync(string tenant, int replica = 0)
    {
        var hits = new List<Hit>();
        var started = Stopwatch.GetTimestamp();
        while (hits.Count < SpendAtMost)
        {
            var hit = await HitAsync(tenant, replica);
            hits.Add(hit);
            if (!hit.Admitted || hits.Count(h => h.Admitted) > MostAdmitted(Stopwatch.GetElapsedTime(started))) break;
        }
        return (hits, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>The bucket was spent as a correct one is: admitted no more than it may, then a 429.</summary>
    public static bool Spent(List<Hit> hits, TimeSpan took) =>
        hits[^1].Status == 429 && hits.Count(h => h.Admitted) <= MostAdmitted(took);

    /// <summary>The keys in <paramref name="after"/> that <paramref name="before"/> did not have: what the service wrote meanwhile, whatever it names them.</summary>
    public static Dictionary<string, long> New(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after) =>
        after.Where(k => !before.ContainsKey(k.Key)).ToDictionary(k => k.Key, k => k.Value);

    /// <summary>
    /// An answer that did not come from the bucket in Redis: admitted without RateLimit headers (failing open) or a
    /// 5xx (failing closed, or an error). While Redis runs, that means Redis was slower than the service waits for it.
    /// </summary>
    public static bool AnsweredWithoutRedis(Hit hit) => hit.Status >= 500 || (hit.Admitted && hit.Limit is null);

    /// <summary>
    /// How many times <see cref="FromRedisAsync{T}"/> runs a test's requests at most, and the pause between. Five, not
    /// three: a flake hunt (the calibration with three times CI's other work beside it) saw the reference answer
    /// without Redis in three runs in a row, its first requests after start among them.
    /// </summary>
    public const int RedisAttempts = 5;
    public static readonly TimeSpan RedisPause = TimeSpan.FromSeconds(1.5);

    /// <summary>
    /// How slow the grader's own Redis round trips may get during a run that is judged on answers a service gave without
    /// Redis (the statement says so): beyond it Redis was slow for everyone on the machine, and a service that waited for
    /// it and failed open cannot be told from one that never asked it.
    /// </summary>
    public static readonly TimeSpan SlowRedis = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Runs <paramref name="attempt"/> (a test's requests, for tenants of its own) again while any of its answers came
    /// without Redis, at most <see cref="RedisAttempts"/> times with <see cref="RedisPause"/> between, and returns the
    /// last run, which the test then judges. Redis runs during these tests; a service answers without it when Redis
    /// was slower than the service waits for it, which on a busy grading machine happens now and then to a correct
    /// service (it fails open, 200 without headers, and would seem to admit too much) as to one that fails closed
    /// (5xx). What a service does without Redis is the outage criterion's; here such a run is inconclusive, and asked
    /// again. A service that answers without Redis every time is judged on its last run, if Redis answered the grader's
    /// own PINGs (<see cref="RedisRoundTrips"/>) within <see cref="SlowRedis"/> throughout it; otherwise nothing can be
    /// told from it, and the test is inconclusive (the grader grades again, then reports an error).
    /// </summary>
    public static async Task<T> FromRedisAsync<T>(Func<Task<T>> attempt, Func<T, IEnumerable<Hit>> hitsOf)
    {
        await using var probe = await RedisProbe.ConnectAsync(cancellationToken: Ct);
        for (var run = 1; ; run++)
        {
            var started = DateTimeOffset.UtcNow;
            await using var trips = RedisRoundTrips.Start(probe);
            var result = await attempt();
            await trips.StopAsync();
            var without = hitsOf(result).Count(AnsweredWithoutRedis);
            if (without == 0) return result;
            if (run == RedisAttempts)
            {
                if (!trips.SlowerThan(SlowRedis)) return result;
                // Redis held by the service's own commands is the service's doing, not the machine's: judged.
                var held = await probe.SlowCommandsSinceAsync(started, SlowRedis);
                if (held.Count == 0)
                    throw new CodeLab.Verdicts.InconclusiveException(
                        $"{without} answer(s) came without Redis in each of {RedisAttempts} runs, and in the last one Redis took up to " +
                        $"{trips.Slowest.TotalMilliseconds:0} ms to answer the grader itself{(trips.Failed > 0 ? $" ({trips.Failed} PING(s) unanswered)" : "")}: " +
                        $"the machine was too busy to tell a service that waited for Redis from one that did not");
                Checks.Record("commands of the service that held Redis for more than 100 ms during the last run", 0,
                    $"{held.Count} ({string.Join(", ", held.Take(3))})", false);
                return result;
            }
            await Task.Delay(RedisPause, Ct);
        }
    }

    public static string Describe(IEnumerable<Hit> hits) =>
        string.Join(", ", hits.GroupBy(h => h.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} x {g.Key}"));
}
