using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CodeLab.Exercises;
using CodeLab.Protocol;
using CodeLab.Sandbox;
using CodeLab.Sandbox.Engine;

namespace CodeLab.Grading;

/// <summary>
/// Everything a service grade runs beside the judge: a private internal network (no route out), Redis on it as
/// "redis", and the candidate's service as "app-1" .. "app-N", each in a hardened sandbox container. The host is
/// fenced off from the network (see <see cref="HostFence"/>) before the network exists, and stays fenced off until
/// it is gone. Disposing removes all of it, whatever happened; everything is labelled, so a crash leaves nothing
/// the reaper misses.
/// </summary>
public sealed class ServiceWorld : IAsyncDisposable
{
    /// <summary>A replica's whole log is kept (as a file beside the report) up to this many characters; the rest is counted as dropped.</summary>
    const int LogCapChars = 8 * 1024 * 1024;
    readonly IContainerEngine engine;
    readonly HostFence fence;
    readonly string image;
    readonly ServiceSettings settings;
    readonly string runId = RandomNumberGenerator.GetHexString(12, lowercase: true);
    /// <summary>The judge's own Redis user's password: only the judge container is told it.</summary>
    readonly string redisPassword = RandomNumberGenerator.GetHexString(32, lowercase: true);
    readonly List<SandboxContainer> containers = [];
    readonly List<(string Name, StringBuilder Log)> appLogs = [];
    readonly Dictionary<int, (SandboxRequest Request, SandboxContainer Container)> apps = [];
    string? networkId;
    bool fenced;
    /// <summary>Redis and the replicas' containers starting (null before the network exists).</summary>
    Task? starting;
    /// <summary>The judge's container starting, until <see cref="TakeJudgeAsync"/> hands it over.</summary>
    Task<PreparedSandbox>? judge;
    /// <summary>The machine's load slot while the judge runs a load scenario (<see cref="LoadSlot"/>).</summary>
    IDisposable? loadLease;
    bool disposed;
    readonly Lock loadGate = new();

    ServiceWorld(IContainerEngine engine, HostFence fence, string image, ServiceSettings settings)
    {
        this.engine = engine;
        this.fence = fence;
        this.image = image;
        this.settings = settings;
        NetworkName = $"codelab-net-{runId}";
        BridgeName = HostFence.BridgeNameFor(runId);
    }

    public string NetworkName { get; }

    /// <summary>The host's interface for the network's bridge: what the fence closes.</summary>
    public string BridgeName { get; }

    IReadOnlyDictionary<string, string> Labels => new Dictionary<string, string> { [SandboxLabels.Run] = runId };

    /// <summary>
    /// Creates the fenced network, then starts, all at once and without waiting for them: Redis (when the exercise
    /// uses it), the <paramref name="replicas"/> service containers, whose runners wait on stdin for the compiled
    /// service (<see cref="ServeAsync"/>), and the judge's container, whose runner waits for the tests
    /// (<see cref="TakeJudgeAsync"/>). All of it can overlap compilation: nothing of the submission runs before it is sent.
    /// </summary>
    /// <exception cref="InfrastructureException">The host cannot be fenced off from the network: nothing runs unfenced.</exception>
    public static async Task<ServiceWorld> StartAsync(IContainerEngine engine, HostFence fence, string image, ServiceSettings settings, LevelLimits limits, int replicas, CancellationToken cancellationToken)
    {
        var world = new ServiceWorld(engine, fence, image, settings);
        try
        {
            try
            {
                world.fenced = true;
                await fence.CloseAsync(world.BridgeName, cancellationToken);
                world.networkId = await LiveSandboxes.Process.CreateNetworkAsync(engine, new NetworkSpec(world.NetworkName, Internal: true, SandboxLabels.For("network", world.Labels), world.BridgeName), cancellationToken);
                await fence.VerifyAsync(world.BridgeName, cancellationToken);
            }
            catch (SandboxSetupException ex)
            {
                throw new InfrastructureException(ex.Message, ex);
            }
            if (replicas > 0) world.judge = PreparedSandbox.StartAsync(engine, image, limits, world.Judge(replicas), cancellationToken);
            world.starting = world.StartContainersAsync(replicas, limits, cancellationToken);
            return world;
        }
        catch
        {
            await world.DisposeAsync();
            throw;
        }
    }

    async Task StartContainersAsync(int replicas, LevelLimits limits, CancellationToken cancellationToken)
    {
        var starting = new List<Task>();
        if (settings.Redis) starting.Add(StartRedisAsync(limits, cancellationToken));
        for (var i = 1; i <= replicas; i++)
        {
            var log = new StringBuilder();
            appLogs.Add(($"app-{i}", log));
            starting.Add(StartReplicaAsync(i, log, limits, cancellationToken));
        }
        await Task.WhenAll(starting);
    }

    async Task StartRedisAsync(LevelLimits limits, CancellationToken cancellationToken)
    {
        var redis = await SandboxContainer.StartAsync(engine, new SandboxRequest
        {
            Image = image,
            Role = "redis",
            Entrypoint = RedisProcess.Entrypoint,
            Command = RedisArguments(redisPassword),
            Network = NetworkName,
            NetworkAliases = ["redis"],
            Labels = Labels,
            Limits = new SandboxLimits { MemoryBytes = 256L * 1024 * 1024, Cpus = 1, Pids = 64, WallClock = WallClock(limits) },
        }, null, cancellationToken);
        lock (containers) containers.Add(redis);
    }

    async Task StartReplicaAsync(int replica, StringBuilder log, LevelLimits limits, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>(settings.Environment)
        {
            ["ASPNETCORE_URLS"] = $"http://0.0.0.0:{ServiceSettings.Port}",
            // ASP.NET Core finds the app's parts (controllers) by the application's name: the candidate's assembly.
            ["ASPNETCORE_APPLICATIONNAME"] = CompileStage.CandidateAssemblyName,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["CODELAB_REPLICA"] = replica.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var request = new SandboxRequest
        {
            Image = image,
            Role = "app",
            Command = ["service"],
            Environment = environment,
            Network = NetworkName,
            NetworkAliases = [$"app-{replica}"],
            Labels = Labels,
            Limits = new SandboxLimits
            {
                MemoryBytes = limits.MemoryMb * 1024L * 1024,
                Cpus = limits.Cpus,
                Pids = limits.Pids,
                WallClock = WallClock(limits),
            },
        };
        var container = await SandboxContainer.StartDeferredAsync(engine, request, line => Append(log, line), cancellationToken);
        lock (containers)
        {
            containers.Add(container);
            apps[replica] = (request, container);
        }
    }

    /// <summary>
    /// Sends the compiled service to every replica once Redis and every container run (each replica's input carries a
    /// secret of its own; a restart sends the same input again).
    /// </summary>
    public async Task ServeAsync(byte[] assembly, byte[]? pdb, CancellationToken cancellationToken)
    {
        await (starting ?? Task.CompletedTask);
        var input = ServiceInput(assembly, pdb);
        List<KeyValuePair<int, (SandboxRequest Request, SandboxContainer Container)>> replicas;
        lock (containers) replicas = [.. apps];
        await Task.WhenAll(replicas.Select(async app =>
        {
            var stdin = WorkArchive.WithSecret(RandomNumberGenerator.GetHexString(32, lowercase: true), input);
            lock (containers) apps[app.Key] = (app.Value.Request with { Stdin = stdin }, app.Value.Container);
            await app.Value.Container.SendInputAsync(stdin, cancellationToken);
        }));
    }

    /// <summary>The judge's container, started with the world; from here on the caller disposes it.</summary>
    public async Task<PreparedSandbox> TakeJudgeAsync()
    {
        var started = judge ?? throw new InvalidOperationException("the world has no judge container (taken already?)");
        judge = null;
        return await started;
    }

    /// <summary>
    /// Carries out a judge's request: "restart-service N" kills replica N and starts a fresh container in its place
    /// (same name on the network, same input); "stop-redis" and "start-redis" kill redis-server and start an empty one
    /// in the Redis container, which stays (<see cref="RedisProcess"/>); "load-begin" waits for the machine's load slot
    /// and "load-end" gives it back (<see cref="LoadSlot"/>).
    /// </summary>
    public async Task ControlAsync(string command, CancellationToken cancellationToken)
    {
        var parts = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        switch (parts)
        {
            case ["restart-service", var number] when int.TryParse(number, out var replica) && App(replica) is { } app:
            {
                var log = appLogs[replica - 1].Log;
                Append(log, "--- killed and restarted by the grader ---");
                await app.Container.DisposeAsync();
                var fresh = await SandboxContainer.StartAsync(engine, app.Request, line => Append(log, line), cancellationToken);
                lock (containers)
                {
                    containers[containers.IndexOf(app.Container)] = fresh;
                    apps[replica] = (app.Request, fresh);
                }
                break;
            }
            case ["stop-redis"] when Redis is { } redis:
                await RunInRedisAsync(redis, RedisProcess.Stop, command, cancellationToken);
                break;
            case ["start-redis"] when Redis is { } redis:
                await RunInRedisAsync(redis, RedisProcess.Start(RedisArguments(redisPassword)), command, cancellationToken);
                break;
            case ["load-begin"]:
                await TakeLoadSlotAsync(cancellationToken);
                break;
            case ["load-end"]:
                lock (loadGate)
                {
                    loadLease?.Dispose();
                    loadLease = null;
                }
                break;
            default:
                throw new InvalidOperationException($"unknown world command '{command}' (restart-service N with 1 <= N <= {apps.Count}, stop-redis, start-redis, load-begin, load-end).");
        }
    }

    /// <summary>
    /// Held already (a judge that restarted after a crash mid-load asks again): it stays held. A slot that arrives
    /// after the world was disposed goes straight back: nothing would ever give it back otherwise.
    /// </summary>
    async Task TakeLoadSlotAsync(CancellationToken cancellationToken)
    {
        lock (loadGate)
            if (loadLease is not null || disposed) return;
        var lease = await LoadSlot.AcquireAsync(cancellationToken);
        lock (loadGate)
        {
            if (loadLease is null && !disposed)
            {
                loadLease = lease;
                return;
            }
        }
        lease.Dispose();
    }

    async Task RunInRedisAsync(SandboxContainer redis, IReadOnlyList<string> script, string command, CancellationToken cancellationToken)
    {
        var result = await engine.ExecAsync(redis.Id, script, cancellationToken);
        if (result.ExitCode != 0)
            throw new InfrastructureException($"world command '{command}' failed in the Redis container (exit {result.ExitCode}): {result.Output.Trim()}");
    }

    SandboxContainer? Redis { get { lock (containers) return containers.FirstOrDefault(c => c.Name.StartsWith("codelab-redis-", StringComparison.Ordinal)); } }

    (SandboxRequest Request, SandboxContainer Container)? App(int replica)
    {
        lock (containers) return apps.TryGetValue(replica, out var app) ? app : null;
    }

    /// <summary>Where the judge sits: on this network, answering to the fakes' host names, waiting for every replica.</summary>
    public JudgePlacement Judge(int replicas)
    {
        var urls = Enumerable.Range(1, replicas).Select(i => $"http://app-{i}:{ServiceSettings.Port}").ToList();
        return new JudgePlacement(
            NetworkName,
            settings.FakeHosts,
            new Dictionary<string, string>
            {
                ["CODELAB_SERVICE_URLS"] = string.Join(',', urls),
                ["CODELAB_FAKES_PORT"] = ServiceSettings.FakesPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["CODELAB_REDIS"] = settings.Redis ? "redis:6379" : "",
                ["CODELAB_REDIS_PASSWORD"] = settings.Redis ? redisPassword : "",
                ["CODELAB_READY_PATH"] = settings.ReadyPath,
            },
            Labels,
            urls.Select(u => u + settings.ReadyPath).ToList(),
            settings.ReadyTimeoutSeconds * 1000,
            ControlAsync)
        {
            // Redis counts as the candidate's: their code decides what it runs (a Lua loop burns its CPU).
            CandidateContainers = () => { lock (containers) return containers.Select(c => c.Id).ToList(); },
        };
    }

    /// <summary>Each replica's whole output (stdout, then what it wrote to stderr), for a file beside the report.</summary>
    public IReadOnlyList<(string Replica, string Text, bool Truncated)> ServiceLogs()
    {
        var result = new List<(string, string, bool)>();
        for (var i = 0; i < appLogs.Count; i++)
        {
            string stdout;
            bool truncated;
            lock (appLogs[i].Log)
            {
                stdout = appLogs[i].Log.ToString();
                truncated = stdout.Length >= LogCapChars;
            }
            var stderr = App(i + 1)?.Container.StderrSoFar ?? "";
            result.Add((appLogs[i].Name, stderr.Length == 0 ? stdout : $"{stdout}--- stderr ---\n{stderr}", truncated));
        }
        return result;
    }

    static void Append(StringBuilder log, string line)
    {
        lock (log)
        {
            if (log.Length < LogCapChars) log.AppendLine(line);
        }
    }

    /// <summary>
    /// A fresh, memory-only Redis (no persistence, no config file) that gives the candidate's service one database
    /// and the commands a service needs, nothing that hides state from the judge or interferes with its reads:
    /// with one database there is nowhere else to keep keys (SELECT 1, MOVE and SWAPDB have no other database to
    /// reach); the default user (the service's) loses the @dangerous category (CONFIG, DEBUG, MODULE, MONITOR,
    /// KEYS, FLUSHALL/FLUSHDB, SWAPDB, CLIENT LIST/KILL/PAUSE/UNBLOCK, SHUTDOWN, replication, ACL changes, ...) and
    /// keeps INFO, which Redis clients read when they connect. The judge reads as its own user, whose password
    /// only the judge container knows, with every command.
    /// </summary>
    static IReadOnlyList<string> RedisArguments(string judgePassword) =>
    [
        "--bind", "0.0.0.0", "--port", "6379", "--protected-mode", "no", "--save", "", "--appendonly", "no", "--dir", "/tmp",
        "--databases", "1",
        "--enable-debug-command", "no", "--enable-module-command", "no",
        // Each --user is one configuration line; its words must be separate arguments (Redis quotes one with spaces).
        "--user", "default", "on", "nopass", "~*", "&*", "+@all", "-@dangerous", "+info",
        "--user", "judge", "on", ">" + judgePassword, "~*", "&*", "+@all",
    ];

    static async Task RemoveQuietlyAsync(SandboxContainer container)
    {
        try { await container.DisposeAsync(); }
        catch (Exception ex) when (ex is ContainerEngineException or OperationCanceledException or ObjectDisposedException) { /* the reaper gets it */ }
    }

    static TimeSpan WallClock(LevelLimits limits) => TimeSpan.FromSeconds(limits.RunTimeoutSeconds + 60);

    static byte[] ServiceInput(byte[] assembly, byte[]? pdb)
    {
        var files = new List<(string, byte[])>
        {
            ("service.json", JsonSerializer.SerializeToUtf8Bytes(new CodeLab.Protocol.ServiceManifest { Assembly = CompileStage.CandidateAssemblyName + ".dll" })),
            (CompileStage.CandidateAssemblyName + ".dll", assembly),
        };
        if (pdb is not null) files.Add((CompileStage.CandidateAssemblyName + ".pdb", pdb));
        return WorkArchive.Build(files);
    }

    public async ValueTask DisposeAsync()
    {
        lock (loadGate)
        {
            disposed = true;
            loadLease?.Dispose();
            loadLease = null;
        }
        // Whatever is still starting finishes first (or fails), so nothing starts after the removal below.
        try { await (starting ?? Task.CompletedTask); }
        catch (Exception ex) when (ex is ContainerEngineException or OperationCanceledException or InfrastructureException) { /* removed below or reaped */ }
        if (Interlocked.Exchange(ref judge, null) is { } unused) await PreparedSandbox.DiscardAsync(unused);
        List<SandboxContainer> all;
        lock (containers)
        {
            all = [.. containers];
            containers.Clear();
        }
        // All at once: each removal is a kill and a wait for the engine, and nothing orders them.
        await Task.WhenAll(all.Select(RemoveQuietlyAsync));
        if (networkId is not null)
        {
            try
            {
                await LiveSandboxes.Process.RemoveNetworkAsync(NetworkName, CancellationToken.None);
                networkId = null;
            }
            catch (ContainerEngineException)
            {
                // The reaper gets the network, and then its fence; until then the fence stays up.
                return;
            }
        }
        if (fenced)
        {
            await fence.OpenAsync(BridgeName, CancellationToken.None);
            fenced = false;
        }
    }
}
