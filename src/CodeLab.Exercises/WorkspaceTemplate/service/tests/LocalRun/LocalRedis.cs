using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace LocalRun;

/// <summary>
/// The Redis the service and the tests use: the one CODELAB_REDIS names, or a redis-server started here on a free port
/// with what the grader's Redis has (one database, no administrative commands for the service, a "judge" user for the
/// tests), and stopped again on dispose.
/// </summary>
internal sealed class LocalRedis : IAsyncDisposable
{
    readonly Process? process;

    LocalRedis(string endpoint, string judgePassword, Process? process)
    {
        Endpoint = endpoint;
        JudgePassword = judgePassword;
        this.process = process;
    }

    /// <summary>host:port.</summary>
    public string Endpoint { get; }

    /// <summary>The judge user's password ("" when CODELAB_REDIS names a Redis of yours).</summary>
    public string JudgePassword { get; }

    /// <summary>The running Redis, or null after saying on stderr why there is none.</summary>
    public static async Task<LocalRedis?> StartAsync(CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable("CODELAB_REDIS") is { Length: > 0 } given)
        {
            Console.WriteLine($"LocalRun: using the Redis at {given} (CODELAB_REDIS).");
            return new LocalRedis(given, Environment.GetEnvironmentVariable("CODELAB_REDIS_PASSWORD") ?? "", null);
        }
        if (FindOnPath(OperatingSystem.IsWindows() ? "redis-server.exe" : "redis-server") is not { } server)
        {
            Console.Error.WriteLine("LocalRun: redis-server is not installed: install Redis 7 (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis; Windows: inside WSL), or start any Redis and set CODELAB_REDIS=host:port.");
            return null;
        }

        var port = Ports.Free();
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        var start = new ProcessStartInfo(server) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["--bind", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--save", "", "--appendonly", "no", "--databases", "1",
                     "--user", "default", "on", "nopass", "~*", "&*", "+@all", "-@dangerous", "+info",
                     "--user", "judge", "on", ">" + password, "~*", "&*", "+@all"])
            start.ArgumentList.Add(argument);
        var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var redis = new LocalRedis($"127.0.0.1:{port}", password, process);

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10) && !process.HasExited)
        {
            if (await PingsAsync(port, cancellationToken))
            {
                Console.WriteLine($"LocalRun: started redis-server on 127.0.0.1:{port}.");
                return redis;
            }
            await Task.Delay(100, cancellationToken);
        }
        await redis.DisposeAsync();
        lock (output) Console.Error.WriteLine($"LocalRun: redis-server did not answer on 127.0.0.1:{port}; it said:\n{output}");
        return null;
    }

    static async Task<bool> PingsAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, cancellationToken);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, cancellationToken);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);

    public async ValueTask DisposeAsync()
    {
        if (process is null) return;
        if (!process.HasExited) process.Kill();
        await process.WaitForExitAsync();
        process.Dispose();
    }
}
