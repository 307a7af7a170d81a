using StackExchange.Redis;

namespace CodeLab.Judge;

/// <summary>
/// Reads Redis directly (StackExchange.Redis, the client candidates use) for hidden tests that look at what the
/// candidate's service stored: which keys exist and whether they expire. The judge reads Redis itself rather than
/// trusting the service.
/// </summary>
public sealed class RedisProbe : IAsyncDisposable
{
    readonly ConnectionMultiplexer connection;
    readonly IDatabase database;

    RedisProbe(ConnectionMultiplexer connection)
    {
        this.connection = connection;
        database = connection.GetDatabase();
    }

    /// <param name="endpoint">host:port; default: the grade's Redis (CODELAB_REDIS, else redis:6379).</param>
    public static async Task<RedisProbe> ConnectAsync(string? endpoint = null, CancellationToken cancellationToken = default)
    {
        var options = new ConfigurationOptions
        {
            EndPoints = { endpoint ?? JudgeEnvironment.Get(JudgeEnvironment.Redis, "redis:6379") },
            // A probe that cannot reach Redis is a failed check, at once: no background reconnecting.
            AbortOnConnectFail = true,
            ConnectRetry = 1,
            ConnectTimeout = 5000,
            SyncTimeout = 5000,
            AsyncTimeout = 5000,
            ClientName = ClientName,
        };
        // The judge reads as its own user: the service's default user may not list keys or see other clients.
        if (JudgeEnvironment.Get(JudgeEnvironment.RedisPassword, "") is { Length: > 0 } password)
        {
            options.User = JudgeUser;
            options.Password = password;
        }
        var connection = await ConnectionMultiplexer.ConnectAsync(options).WaitAsync(cancellationToken);
        return new RedisProbe(connection);
    }

    const string JudgeUser = "judge";

    /// <summary>The name the judge's connections give Redis (CLIENT SETNAME), so its own commands are told apart.</summary>
    const string ClientName = "codelab-judge";

    // One script runs atomically: the keys and their expiry are read at one instant, with no gap in which the
    // service could change what the next read sees.
    const string SnapshotScript = """
        local keys = redis.call('KEYS', ARGV[1])
        local out = {}
        for _, key in ipairs(keys) do
          out[#out + 1] = key
          out[#out + 1] = redis.call('PTTL', key)
        end
        return out
        """;

    /// <summary>
    /// Every key matching a glob pattern with its time to live in milliseconds (-1: never expires), read in one
    /// atomic step.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, long>> SnapshotAsync(string pattern = "*")
    {
        var flat = (RedisResult[])(await database.ScriptEvaluateAsync(SnapshotScript, values: [pattern]))!;
        var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < flat.Length; i += 2) result[(string)flat[i]!] = (long)flat[i + 1];
        return result;
    }

    /// <summary>
    /// The keys in <paramref name="after"/> that <paramref name="before"/> did not have and that expire by themselves
    /// within <paramref name="atMost"/>: what the service wrote meanwhile that a stated bound lets it keep that long.
    /// </summary>
    public static IReadOnlyList<string> ShortLivedSince(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after, TimeSpan atMost) =>
        after.Where(k => !before.ContainsKey(k.Key) && k.Value > 0 && k.Value <= atMost.TotalMilliseconds).Select(k => k.Key).ToList();

    /// <summary>
    /// Lets time pass at once for keys that would expire within a stated bound anyway (PEXPIRE 1 ms), so a test need
    /// not wait for that bound. The grade is what a real wait gives: only keys that would be gone by the bound are
    /// touched (<see cref="ShortLivedSince"/>), and state the service keeps anywhere else still gets the real wait.
    /// </summary>
    public async Task ExpireNowAsync(IEnumerable<string> keys)
    {
        foreach (var key in keys) await CommandAsync("PEXPIRE", key, "1");
    }

    /// <summary>Every key matching a glob pattern (KEYS: fine for the handful a test creates).</summary>
    public async Task<IReadOnlyList<string>> KeysAsync(string pattern = "*") =>
        ((object?[])(await CommandAsync("KEYS", pattern))!).Select(k => (string)k!).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Milliseconds until the key expires; -1 when it never expires, -2 when it does not exist.</summary>
    public async Task<long> TimeToLiveMsAsync(string key) => (long)(await CommandAsync("PTTL", key))!;

    public async Task<string?> GetAsync(string key) => (string?)await CommandAsync("GET", key);

    /// <summary>
    /// Commands of other clients than the judge (the candidate's service) that Redis itself took at least
    /// <paramref name="atLeast"/> to run since <paramref name="since"/>, from its slow log, which the service's user may
    /// neither read nor reset. A machine that starves Redis delays when commands run, hardly how long one runs: a long
    /// entry here is Redis held by the service (a script that loops, a command over a huge key).
    /// </summary>
    public async Task<IReadOnlyList<string>> SlowCommandsSinceAsync(DateTimeOffset since, TimeSpan atLeast)
    {
        var entries = (object?[])(await CommandAsync("SLOWLOG", "GET", "-1"))!;
        var found = new List<string>();
        foreach (var entry in entries.OfType<object?[]>())
        {
            // id, unix time, microseconds, arguments, client address, client name
            if (entry.Length < 6 || entry[1] is not long at || entry[2] is not long micros) continue;
            if (at < since.ToUnixTimeSeconds() - 1 || micros < atLeast.TotalMicroseconds || entry[5] as string == ClientName) continue;
            var command = entry[3] is object?[] args && args.Length > 0 ? args[0] as string : null;
            found.Add($"{command?.ToUpperInvariant() ?? "?"} for {micros / 1000} ms");
        }
        return found;
    }

    /// <summary>Sends one command and returns its reply: string, long, null, or object?[] for arrays. Errors throw.</summary>
    public async Task<object?> CommandAsync(params string[] args)
    {
        ArgumentOutOfRangeException.ThrowIfZero(args.Length);
        try
        {
            return ToObject(await database.ExecuteAsync(args[0], args[1..].Cast<object>().ToArray()));
        }
        catch (RedisServerException ex)
        {
            throw new InvalidOperationException("Redis: " + ex.Message, ex);
        }
    }

    static object? ToObject(RedisResult result) =>
        result.IsNull ? null : result.Resp2Type switch
        {
            ResultType.Integer => (long)result,
            ResultType.Array => ((RedisResult[])result!).Select(ToObject).ToArray(),
            _ => (string?)result,
        };

    public async ValueTask DisposeAsync() => await connection.DisposeAsync();
}
