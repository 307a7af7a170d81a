using System.Diagnostics;

namespace LocalRun;

/// <summary>A program this tool started: its output goes to a log file, and it is stopped (with its children) on dispose.</summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    readonly Process process;
    readonly StreamWriter log;
    readonly string logPath;

    ChildProcess(Process process, StreamWriter log, string logPath)
    {
        this.process = process;
        this.log = log;
        this.logPath = logPath;
    }

    /// <summary>Why it is not ready, for the message when it never is.</summary>
    public string Why { get; private set; } = "no answer yet";

    public static ChildProcess Start(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string logPath)
    {
        var start = Info(program, arguments, environment);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ChildProcess(process, log, logPath);
    }

    /// <summary>Runs a program to its end with the console as its own; its exit code.</summary>
    public static async Task<int> RunAsync(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        using var process = Process.Start(Info(program, arguments, environment))!;
        try
        {
            await process.WaitForExitAsync(cancellationToken);
            return process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return 130;
        }
    }

    /// <summary>Polls <paramref name="url"/> until it answers 200 (true), the program exits or the time is up (false).</summary>
    public async Task<bool> WaitUntilReadyAsync(string url, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit && !cancellationToken.IsCancellationRequested)
        {
            if (process.HasExited)
            {
                Why = $"it exited with code {process.ExitCode}";
                return false;
            }
            try
            {
                using var response = await http.GetAsync(url, cancellationToken);
                if (response.IsSuccessStatusCode) return true;
                Why = $"last answer: HTTP {(int)response.StatusCode}";
            }
            catch (HttpRequestException ex)
            {
                Why = ex.Message;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Why = "a health request timed out";
            }
            await Task.Delay(250, CancellationToken.None);
        }
        if (clock.Elapsed >= limit) Why = $"not ready after {limit.TotalSeconds:0} s; {Why}";
        return false;
    }

    public IEnumerable<string> LastLines(int count)
    {
        lock (log) log.Flush();
        using var shared = new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(shared);
        return reader.ReadToEnd().Split('\n').Select(l => l.TrimEnd('\r')).TakeLast(count).ToList();
    }

    static ProcessStartInfo Info(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        return start;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
        lock (log) log.Dispose();
    }
}
