using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace CodeLab.Judge;

/// <summary>
/// A minimal Redis client (RESP over TCP) for hidden tests that look at what the candidate's service stored:
/// which keys exist and whether they expire. The judge reads Redis itself rather than trusting the service.
/// </summary>
public sealed class RedisProbe : IAsyncDisposable
{
    readonly TcpClient tcp;
    readonly Stream stream;
    readonly SemaphoreSlim gate = new(1, 1);

    RedisProbe(TcpClient tcp)
    {
        this.tcp = tcp;
        stream = new BufferedStream(tcp.GetStream());
    }

    /// <param name="endpoint">host:port; default: the grade's Redis (CODELAB_REDIS, else redis:6379).</param>
    public static async Task<RedisProbe> ConnectAsync(string? endpoint = null, CancellationToken cancellationToken = default)
    {
        endpoint ??= JudgeEnvironment.Get(JudgeEnvironment.Redis, "redis:6379");
        var colon = endpoint.LastIndexOf(':');
        var (host, port) = colon > 0 ? (endpoint[..colon], int.Parse(endpoint[(colon + 1)..], CultureInfo.InvariantCulture)) : (endpoint, 6379);
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(host, port, cancellationToken);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
        var probe = new RedisProbe(tcp);
        // The judge reads as its own user: the service's default user may not list keys or see other clients.
        if (JudgeEnvironment.Get(JudgeEnvironment.RedisPassword, "") is { Length: > 0 } password)
        {
            try
            {
                await probe.CommandAsync("AUTH", JudgeUser, password);
            }
            catch
            {
                await probe.DisposeAsync();
                throw;
            }
        }
        return probe;
    }

    const string JudgeUser = "judge";

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
        var flat = (object?[])(await CommandAsync("EVAL", SnapshotScript, "0", pattern))!;
        var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < flat.Length; i += 2) result[(string)flat[i]!] = (long)flat[i + 1]!;
        return result;
    }

    /// <summary>Every key matching a glob pattern (KEYS: fine for the handful a test creates).</summary>
    public async Task<IReadOnlyList<string>> KeysAsync(string pattern = "*") =>
        ((object?[])(await CommandAsync("KEYS", pattern))!).Select(k => (string)k!).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Milliseconds until the key expires; -1 when it never expires, -2 when it does not exist.</summary>
    public async Task<long> TimeToLiveMsAsync(string key) => (long)(await CommandAsync("PTTL", key))!;

    public async Task<string?> GetAsync(string key) => (string?)await CommandAsync("GET", key);

    /// <summary>Sends one command and returns its reply: string, long, null, or object?[] for arrays. Errors throw.</summary>
    public async Task<object?> CommandAsync(params string[] args)
    {
        await gate.WaitAsync();
        try
        {
            var request = new StringBuilder().Append('*').Append(args.Length).Append("\r\n");
            foreach (var arg in args) request.Append('$').Append(Encoding.UTF8.GetByteCount(arg)).Append("\r\n").Append(arg).Append("\r\n");
            await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()));
            await stream.FlushAsync();
            return await ReadReplyAsync();
        }
        finally
        {
            gate.Release();
        }
    }

    async Task<object?> ReadReplyAsync()
    {
        var line = await ReadLineAsync();
        var rest = line[1..];
        switch (line[0])
        {
            case '+': return rest;
            case '-': throw new InvalidOperationException("Redis: " + rest);
            case ':': return long.Parse(rest, CultureInfo.InvariantCulture);
            case '$':
            {
                var length = int.Parse(rest, CultureInfo.InvariantCulture);
                if (length < 0) return null;
                var buffer = new byte[length + 2];
                await stream.ReadExactlyAsync(buffer);
                return Encoding.UTF8.GetString(buffer, 0, length);
            }
            case '*':
            {
                var count = int.Parse(rest, CultureInfo.InvariantCulture);
                if (count < 0) return null;
                var items = new object?[count];
                for (var i = 0; i < count; i++) items[i] = await ReadReplyAsync();
                return items;
            }
            default: throw new InvalidDataException($"Redis: unexpected reply '{line}'.");
        }
    }

    async Task<string> ReadLineAsync()
    {
        var bytes = new List<byte>(32);
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one) == 0) throw new IOException("Redis closed the connection.");
            if (one[0] == '\n' && bytes.Count > 0 && bytes[^1] == '\r') return Encoding.UTF8.GetString(bytes.ToArray(), 0, bytes.Count - 1);
            bytes.Add(one[0]);
        }
    }

    public ValueTask DisposeAsync()
    {
        stream.Dispose();
        tcp.Dispose();
        gate.Dispose();
        return ValueTask.CompletedTask;
    }
}
