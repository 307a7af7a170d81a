using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CodeLab.Sandbox.Engine;

namespace CodeLab.Sandbox;

/// <summary>
/// One hardened container, from creation to removal. Output is read live over the attach stream (stdout
/// split into lines for the caller, both streams capped). Disposing removes the container whatever
/// happened; containers still alive when the process exits are removed on the way out (<see cref="LiveSandboxes"/>).
/// </summary>
public sealed class SandboxContainer : IAsyncDisposable
{
    /// <summary>
    /// How long disposing keeps asking the engine to remove the container: a guard against an engine that never
    /// answers, not an expectation (a removal takes a fraction of a second, a few on a saturated machine).
    /// </summary>
    static readonly TimeSpan RemoveTimeout = TimeSpan.FromSeconds(60);

    readonly IContainerEngine engine;
    readonly LiveSandboxes live;
    readonly SandboxRequest request;
    readonly IContainerAttachment? attachment;
    readonly Task pump;
    readonly long startedAt;
    readonly StringBuilder stderr = new();
    long stdoutBytes, droppedBytes;
    int removed;

    SandboxContainer(IContainerEngine engine, LiveSandboxes live, SandboxRequest request, string id, string name, IContainerAttachment? attachment, Action<string>? onStdoutLine)
    {
        this.engine = engine;
        this.live = live;
        this.request = request;
        this.attachment = attachment;
        Id = id;
        Name = name;
        startedAt = Stopwatch.GetTimestamp();
        pump = attachment is null ? Task.CompletedTask : Task.Run(() => PumpAsync(attachment, onStdoutLine));
    }

    public string Id { get; }

    readonly SemaphoreSlim stdinGate = new(1, 1);

    /// <summary>The container's name, also its host name on a network.</summary>
    public string Name { get; }

    /// <summary>What the container wrote to stderr so far (capped): for services that are not waited for.</summary>
    public string StderrSoFar
    {
        get
        {
            lock (stderr) return stderr.ToString();
        }
    }

    /// <summary>Creates, attaches and starts the container, then feeds it its stdin (<see cref="SandboxRequest.Stdin"/>) and closes it.</summary>
    public static async Task<SandboxContainer> StartAsync(IContainerEngine engine, SandboxRequest request, Action<string>? onStdoutLine, CancellationToken cancellationToken)
    {
        var container = await StartDeferredAsync(engine, request, onStdoutLine, cancellationToken);
        await container.SendInputAsync(request.Stdin, cancellationToken);
        return container;
    }

    /// <summary>
    /// Creates, attaches and starts the container but keeps its stdin open: a process that waits for its input
    /// can start up while the caller is still preparing that input. Send it with <see cref="SendInputAsync"/>.
    /// </summary>
    /// <exception cref="OperationCanceledException">The process is exiting: no container is started any more.</exception>
    public static Task<SandboxContainer> StartDeferredAsync(IContainerEngine engine, SandboxRequest request, Action<string>? onStdoutLine, CancellationToken cancellationToken) =>
        StartDeferredAsync(engine, LiveSandboxes.Process, request, onStdoutLine, cancellationToken);

    internal static async Task<SandboxContainer> StartDeferredAsync(IContainerEngine engine, LiveSandboxes live, SandboxRequest request, Action<string>? onStdoutLine, CancellationToken cancellationToken)
    {
        var name = $"codelab-{request.Role}-{RandomNumberGenerator.GetHexString(10, lowercase: true)}";
        var spec = ToContainerSpec(request, name);
        var id = await live.CreateContainerAsync(engine, spec, cancellationToken);
        IContainerAttachment? attachment = null;
        try
        {
            attachment = await engine.AttachAsync(id, cancellationToken);
            var container = new SandboxContainer(engine, live, request, id, name, attachment, onStdoutLine);
            await engine.StartContainerAsync(id, cancellationToken);
            return container;
        }
        catch
        {
            if (attachment is not null) await attachment.DisposeAsync();
            await live.RemoveContainerQuietlyAsync(name, RemoveTimeout);
            throw;
        }
    }

    /// <summary>Writes the container's whole input and closes its stdin (unless <paramref name="keepOpen"/>: more input follows).</summary>
    public async Task SendInputAsync(ReadOnlyMemory<byte> input, CancellationToken cancellationToken, bool keepOpen = false)
    {
        if (attachment is null) return;
        if (!input.IsEmpty)
        {
            try { await attachment.WriteStdinAsync(input, cancellationToken); }
            catch (IOException) { /* the process exited before reading all its input; its exit says why */ }
        }
        if (!keepOpen) attachment.CloseStdin();
    }

    /// <summary>More input for a container whose stdin was kept open. False when the process no longer reads it.</summary>
    public async Task<bool> WriteInputAsync(ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        if (attachment is null) return false;
        try
        {
            await stdinGate.WaitAsync(cancellationToken);
            try { await attachment.WriteStdinAsync(input, cancellationToken); }
            finally { stdinGate.Release(); }
            return true;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    static ContainerSpec ToContainerSpec(SandboxRequest request, string name)
    {
        var limits = request.Limits;
        return new ContainerSpec
        {
            Image = request.Image,
            Name = name,
            Entrypoint = request.Entrypoint,
            Command = request.Command,
            Environment = request.Environment,
            Labels = SandboxLabels.For(request.Role, request.Labels),
            User = "65534:65534",
            OpenStdin = true,
            NetworkMode = request.Network,
            NetworkAliases = request.NetworkAliases,
            MemoryBytes = limits.MemoryBytes,
            NanoCpus = (long)(limits.Cpus * 1_000_000_000),
            PidsLimit = limits.Pids,
            ReadOnlyRootFilesystem = true,
            Tmpfs = new Dictionary<string, string>
            {
                ["/tmp"] = string.Create(CultureInfo.InvariantCulture, $"rw,noexec,nosuid,nodev,size={limits.TmpMegabytes}m,mode=1777"),
                // The runner unpacks the compiled assemblies here; the runtime maps them, so exec is needed.
                ["/work"] = string.Create(CultureInfo.InvariantCulture, $"rw,exec,nosuid,nodev,size={limits.WorkMegabytes}m,uid=65534,gid=65534,mode=0700"),
            },
        };
    }

    /// <summary>
    /// Waits for the container to exit, at most its wall clock. <paramref name="stop"/> lets the caller end it
    /// early; <paramref name="cancellationToken"/> abandons the run (the container is killed, then the call throws).
    /// </summary>
    public async Task<SandboxResult> WaitAsync(CancellationToken stop, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(request.Limits.WallClock);
        using var any = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stop, cancellationToken);
        bool timedOut = false, stopped = false;
        try
        {
            await engine.WaitContainerAsync(Id, any.Token);
        }
        catch (OperationCanceledException)
        {
            await KillQuietlyAsync();
            cancellationToken.ThrowIfCancellationRequested();
            timedOut = timeout.IsCancellationRequested && !stop.IsCancellationRequested;
            stopped = !timedOut;
            // The kill is asynchronous: wait for the exit so the exit code and OOM flag are final.
            using var settle = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await engine.WaitContainerAsync(Id, settle.Token); }
            catch (OperationCanceledException) { }
        }

        // The attach stream ends shortly after the process; do not let a stuck stream hold the grade.
        await Task.WhenAny(pump, Task.Delay(TimeSpan.FromSeconds(3), CancellationToken.None));
        var state = await engine.InspectContainerAsync(Id, CancellationToken.None);
        // The engine hears of an out-of-memory kill and of the exit as two events that may arrive in either order
        // (containerd/containerd#8180): a process killed by SIGKILL that nobody here killed may still get its flag.
        for (var i = 0; i < 20 && !state.OomKilled && state.ExitCode == 137 && !timedOut && !stopped; i++)
        {
            await Task.Delay(100, CancellationToken.None);
            state = await engine.InspectContainerAsync(Id, CancellationToken.None);
        }
        string stderrText;
        lock (stderr) stderrText = stderr.ToString();
        return new SandboxResult
        {
            ContainerName = Name,
            ExitCode = state.ExitCode,
            TimedOut = timedOut,
            OomKilled = state.OomKilled,
            StoppedByCaller = stopped,
            Stderr = stderrText,
            StdoutBytes = Interlocked.Read(ref stdoutBytes),
            DroppedOutputBytes = Interlocked.Read(ref droppedBytes),
            Wall = Stopwatch.GetElapsedTime(startedAt),
        };
    }

    public Task StopAsync(TimeSpan grace, CancellationToken cancellationToken) => engine.StopContainerAsync(Id, grace, cancellationToken);

    async Task KillQuietlyAsync()
    {
        try { await engine.KillContainerAsync(Id, CancellationToken.None); }
        catch (ContainerEngineException) { /* removal below is what matters */ }
    }

    async Task PumpAsync(IContainerAttachment stream, Action<string>? onStdoutLine)
    {
        var line = new List<byte>(256);
        const int maxLine = 1024 * 1024;
        try
        {
            while (await stream.ReadFrameAsync(CancellationToken.None) is { } frame)
            {
                if (frame.Stream == OutputStream.Stderr)
                {
                    AppendStderr(frame.Data.Span);
                    continue;
                }
                var total = Interlocked.Add(ref stdoutBytes, frame.Data.Length);
                if (total > request.MaxStdoutBytes)
                {
                    Interlocked.Add(ref droppedBytes, frame.Data.Length);
                    continue;
                }
                foreach (var b in frame.Data.Span)
                {
                    if (b == (byte)'\n')
                    {
                        Deliver(line, onStdoutLine);
                        line.Clear();
                    }
                    else if (line.Count < maxLine) line.Add(b);
                }
            }
            if (line.Count > 0) Deliver(line, onStdoutLine);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or ContainerEngineException)
        {
            // The connection closed under us (container removed): what was read is what there is.
        }
    }

    static void Deliver(List<byte> line, Action<string>? onStdoutLine) =>
        onStdoutLine?.Invoke(Encoding.UTF8.GetString(line.ToArray()).TrimEnd('\r'));

    void AppendStderr(ReadOnlySpan<byte> data)
    {
        lock (stderr)
        {
            var room = request.MaxStderrBytes - stderr.Length;
            if (room <= 0) { Interlocked.Add(ref droppedBytes, data.Length); return; }
            var text = Encoding.UTF8.GetString(data);
            if (text.Length > room)
            {
                Interlocked.Add(ref droppedBytes, text.Length - room);
                text = text[..room];
            }
            stderr.Append(text);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref removed, 1) == 1) return;
        // When the engine refuses or does not answer, the reaper gets it: it removes labelled containers whose owner is gone.
        await live.RemoveContainerQuietlyAsync(Name, RemoveTimeout);
        if (attachment is not null) await attachment.DisposeAsync();
        await Task.WhenAny(pump, Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None));
    }
}
