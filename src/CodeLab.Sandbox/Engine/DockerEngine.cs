using System.Net;
using System.Net.Sockets;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace CodeLab.Sandbox.Engine;

/// <summary>
/// The Docker Engine API through Docker.DotNet.Enhanced 4.3.3 over the engine's unix socket. Chosen over the
/// original Docker.DotNet 3.125.15: the fork is the maintained one (Testcontainers ships with it), uses
/// System.Text.Json instead of Newtonsoft.Json, keeps transports apart (only the unix one is used here), and its
/// attach stream half-closes (stdin ends while output still flows), which the runner's input protocol needs. Nothing
/// of this engine is hand-written any more; this class only maps our narrow interface onto the client and its
/// errors onto <see cref="ContainerEngineException"/>.
/// Pinned to API 1.41, which Debian's engine (20.10) speaks; DOCKER_API_VERSION overrides it, as for the docker CLI
/// (engines from 29 on refuse versions below 1.44).
/// </summary>
public sealed class DockerEngine : IContainerEngine, IDisposable
{
    public const string DefaultApiVersion = "1.41";
    const string DefaultSocket = "/var/run/docker.sock";
    const string BridgeNameOption = "com.docker.network.bridge.name";

    readonly DockerClient client;

    public DockerEngine(string? socketPath = null)
    {
        SocketPath = socketPath ?? SocketFromEnvironment() ?? DefaultSocket;
        ApiVersion = ApiVersionFromEnvironment();
        client = new DockerClientBuilder()
            .WithEndpoint(new Uri("unix://" + SocketPath))
            .WithApiVersion(System.Version.Parse(ApiVersion))
            .WithTransportOptions(new Docker.DotNet.Unix.UnixSocketTransportOptions())
            .Build();
    }

    public string SocketPath { get; }

    /// <summary>The API version every request names.</summary>
    public string ApiVersion { get; }

    static string? SocketFromEnvironment()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (string.IsNullOrEmpty(host)) return null;
        if (host.StartsWith("unix://", StringComparison.Ordinal)) return host["unix://".Length..];
        throw new ContainerEngineException($"DOCKER_HOST={host} is not supported: CodeLab talks to the engine over a unix socket (unix:///path).") { Unreachable = true };
    }

    static string ApiVersionFromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable("DOCKER_API_VERSION");
        if (string.IsNullOrEmpty(text)) return DefaultApiVersion;
        var trimmed = text.TrimStart('v');
        return System.Version.TryParse(trimmed, out _)
            ? trimmed
            : throw new ContainerEngineException($"DOCKER_API_VERSION={text} is not a version: set it like 1.41, or unset it.") { Unreachable = true };
    }

    public Task<EngineInfo> GetInfoAsync(CancellationToken cancellationToken) =>
        CallAsync("GET version", async () =>
        {
            var version = await client.System.GetVersionAsync(cancellationToken).ConfigureAwait(false);
            return new EngineInfo(version.Version, version.APIVersion, version.Os, version.Arch);
        });

    public Task<ImageInfo?> InspectImageAsync(string image, CancellationToken cancellationToken) =>
        CallAsync($"GET images/{image}/json", async () =>
        {
            try
            {
                var found = await client.Images.InspectImageAsync(image, cancellationToken).ConfigureAwait(false);
                return new ImageInfo(found.ID, Copy(found.Config?.Labels), found.Created is { } created ? ToOffset(created) : DateTimeOffset.MinValue);
            }
            catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                return (ImageInfo?)null;
            }
        });

    public Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken)
    {
        var parameters = new CreateContainerParameters
        {
            Name = spec.Name,
            Image = spec.Image,
            Cmd = spec.Command.ToList(),
            Env = spec.Environment.Select(kv => $"{kv.Key}={kv.Value}").ToList(),
            Labels = Copy(spec.Labels),
            User = spec.User,
            AttachStdin = spec.OpenStdin,
            AttachStdout = true,
            AttachStderr = true,
            OpenStdin = spec.OpenStdin,
            StdinOnce = spec.OpenStdin,
            Tty = false,
            HostConfig = new HostConfig
            {
                NetworkMode = spec.NetworkMode,
                ReadonlyRootfs = spec.ReadOnlyRootFilesystem,
                Memory = spec.MemoryBytes,
                MemorySwap = spec.MemoryBytes, // no swap: the memory limit is the limit
                NanoCPUs = spec.NanoCpus,
                PidsLimit = spec.PidsLimit,
                CapDrop = ["ALL"],
                SecurityOpt = ["no-new-privileges"],
                Privileged = false,
                Tmpfs = Copy(spec.Tmpfs),
                // Output is read over the attach stream; the engine keeps no log file a flood could grow.
                LogConfig = new LogConfig { Type = "none", Config = new Dictionary<string, string>() },
                Ulimits = [new Ulimit { Name = "nofile", Soft = spec.NoFileLimit, Hard = spec.NoFileLimit }],
                Binds = [],
            },
        };
        if (spec.Entrypoint is not null) parameters.Entrypoint = spec.Entrypoint.ToList();
        if (spec.WorkingDirectory is not null) parameters.WorkingDir = spec.WorkingDirectory;
        if (spec.NetworkMode != "none")
        {
            parameters.NetworkingConfig = new NetworkingConfig
            {
                EndpointsConfig = new Dictionary<string, EndpointSettings> { [spec.NetworkMode] = new() { Aliases = spec.NetworkAliases.ToList() } },
            };
        }
        return CallAsync("POST containers/create", async () =>
            (await client.Containers.CreateContainerAsync(parameters, cancellationToken).ConfigureAwait(false)).ID);
    }

    public Task<IContainerAttachment> AttachAsync(string containerId, CancellationToken cancellationToken) =>
        CallAsync($"POST containers/{containerId}/attach", async () =>
        {
            var stream = await client.Containers.AttachContainerAsync(containerId,
                new ContainerAttachParameters { Stream = true, Stdin = true, Stdout = true, Stderr = true }, cancellationToken).ConfigureAwait(false);
            return (IContainerAttachment)new DockerAttachment(stream);
        });

    public Task StartContainerAsync(string containerId, CancellationToken cancellationToken) =>
        // False (304) when it already runs: what we wanted.
        CallAsync($"POST containers/{containerId}/start", () => client.Containers.StartContainerAsync(containerId, new ContainerStartParameters(), cancellationToken));

    public Task<long> WaitContainerAsync(string containerId, CancellationToken cancellationToken) =>
        CallAsync($"POST containers/{containerId}/wait", async () =>
            (await client.Containers.WaitContainerAsync(containerId, cancellationToken).ConfigureAwait(false)).StatusCode);

    public Task<ContainerState> InspectContainerAsync(string containerId, CancellationToken cancellationToken) =>
        CallAsync($"GET containers/{containerId}/json", async () =>
        {
            var found = await client.Containers.InspectContainerAsync(containerId, cancellationToken).ConfigureAwait(false);
            var state = found.State;
            return new ContainerState(found.ID, state?.Status ?? "", state?.Running ?? false, state?.ExitCode ?? -1, state?.OOMKilled ?? false,
                state?.Error is { Length: > 0 } error ? error : null);
        });

    public Task KillContainerAsync(string containerId, CancellationToken cancellationToken) =>
        // 409: not running any more, which is what we wanted.
        CallAsync($"POST containers/{containerId}/kill",
            () => client.Containers.KillContainerAsync(containerId, new ContainerKillParameters(), cancellationToken),
            HttpStatusCode.Conflict, HttpStatusCode.NotFound);

    public Task StopContainerAsync(string containerId, TimeSpan grace, CancellationToken cancellationToken) =>
        CallAsync($"POST containers/{containerId}/stop",
            () => client.Containers.StopContainerAsync(containerId, new ContainerStopParameters { WaitBeforeKillSeconds = (uint)Math.Max(0, (int)grace.TotalSeconds) }, cancellationToken),
            HttpStatusCode.NotFound);

    public Task<ExecResult> ExecAsync(string containerId, IReadOnlyList<string> command, CancellationToken cancellationToken) =>
        CallAsync($"POST containers/{containerId}/exec", async () =>
        {
            var created = await client.Exec.CreateContainerExecAsync(containerId,
                new ContainerExecCreateParameters { Cmd = [.. command], AttachStdout = true, AttachStderr = true }, cancellationToken).ConfigureAwait(false);
            using (var stream = await client.Exec.StartContainerExecAsync(created.ID, new ContainerExecStartParameters(), cancellationToken).ConfigureAwait(false))
            {
                var (stdout, stderr) = await stream.ReadOutputToEndAsync(cancellationToken).ConfigureAwait(false);
                // The output ends when the process does; the engine may record its exit a moment later.
                for (var attempt = 0; ; attempt++)
                {
                    var inspected = await client.Exec.InspectContainerExecAsync(created.ID, cancellationToken).ConfigureAwait(false);
                    if (!inspected.Running && inspected.ExitCode is { } exitCode) return new ExecResult(exitCode, stdout + stderr);
                    if (attempt == 100) throw new ContainerEngineException($"exec in {containerId} ended its output but the engine reports it still running.");
                    await Task.Delay(20, cancellationToken).ConfigureAwait(false);
                }
            }
        });

    /// <summary>
    /// Returns once the container is gone. A 409 (its removal already in progress, an earlier try of ours whose answer
    /// came too late, say) is not that: the removal under way may still fail (a busy overlay mount leaves it dead), so
    /// it is thrown like any refusal and the caller asks again until the engine says 404.
    /// </summary>
    public Task RemoveContainerAsync(string containerId, CancellationToken cancellationToken) =>
        CallAsync($"DELETE containers/{containerId}",
            () => client.Containers.RemoveContainerAsync(containerId, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, cancellationToken),
            HttpStatusCode.NotFound);

    public Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(string labelFilter, CancellationToken cancellationToken) =>
        CallAsync("GET containers/json", async () =>
        {
            var found = await client.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = LabelFilter(labelFilter) }, cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<ContainerSummary>)found.Select(c => new ContainerSummary(
                c.ID, (c.Names ?? []).Select(n => n.TrimStart('/')).ToList(), c.State, Copy(c.Labels), ToOffset(c.Created))).ToList();
        });

    public Task<string> CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken)
    {
        var parameters = new NetworksCreateParameters
        {
            Name = spec.Name,
            Driver = "bridge",
            Internal = spec.Internal,
            Labels = Copy(spec.Labels),
            Options = spec.BridgeName is { } bridge ? new Dictionary<string, string> { [BridgeNameOption] = bridge } : new Dictionary<string, string>(),
        };
        return CallAsync("POST networks/create", async () =>
            (await client.Networks.CreateNetworkAsync(parameters, cancellationToken).ConfigureAwait(false)).ID);
    }

    public Task RemoveNetworkAsync(string networkId, CancellationToken cancellationToken) =>
        CallAsync($"DELETE networks/{networkId}", () => client.Networks.DeleteNetworkAsync(networkId, cancellationToken), HttpStatusCode.NotFound);

    public Task<IReadOnlyList<NetworkSummary>> ListNetworksAsync(string labelFilter, CancellationToken cancellationToken) =>
        CallAsync("GET networks", async () =>
        {
            var found = await client.Networks.ListNetworksAsync(new NetworksListParameters { Filters = LabelFilter(labelFilter) }, cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<NetworkSummary>)found.Select(ToNetworkSummary).ToList();
        });

    static NetworkSummary ToNetworkSummary(NetworkResponse n)
    {
        var bridge = n.Options?.TryGetValue(BridgeNameOption, out var named) == true && named.Length > 0 ? named : "br-" + n.ID[..Math.Min(12, n.ID.Length)];
        var gateway = n.IPAM?.Config?.Select(c => c.Gateway).FirstOrDefault(g => !string.IsNullOrEmpty(g));
        return new NetworkSummary(n.ID, n.Name, Copy(n.Labels), ToOffset(n.Created), bridge, gateway);
    }

    public void Dispose() => client.Dispose();

    static Dictionary<string, IDictionary<string, bool>> LabelFilter(string label) =>
        new() { ["label"] = new Dictionary<string, bool> { [label] = true } };

    static Dictionary<string, string> Copy(IEnumerable<KeyValuePair<string, string>>? items) =>
        items?.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal) ?? new Dictionary<string, string>(StringComparer.Ordinal);

    static DateTimeOffset ToOffset(DateTime time) =>
        time == default ? DateTimeOffset.MinValue : new DateTimeOffset(DateTime.SpecifyKind(time.ToUniversalTime(), DateTimeKind.Utc));

    Task CallAsync(string what, Func<Task> call, params HttpStatusCode[] ignore) =>
        CallAsync(what, async () => { await call().ConfigureAwait(false); return true; }, ignore);

    /// <summary>Runs one request; the engine's refusals and an unreachable socket become <see cref="ContainerEngineException"/>.</summary>
    async Task<T> CallAsync<T>(string what, Func<Task<T>> call, params HttpStatusCode[] ignore)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (DockerApiException ex) when (ignore.Contains(ex.StatusCode))
        {
            return default!;
        }
        catch (DockerApiException ex)
        {
            throw new ContainerEngineException($"Docker engine refused {what}: {(int)ex.StatusCode} {EngineMessage(ex.ResponseBody)}", ex);
        }
        catch (Exception ex) when (Unreachable(ex) is { } socket)
        {
            throw new ContainerEngineException(
                $"The Docker engine does not answer on {SocketPath} ({socket.SocketErrorCode}). Start it (./codelab prepares it) or check with ./codelab doctor.", ex)
            { Unreachable = true };
        }
        catch (HttpRequestException ex)
        {
            throw new ContainerEngineException($"Docker engine request {what} failed: {ex.Message}", ex) { Unreachable = true };
        }
        catch (TimeoutException ex)
        {
            throw new ContainerEngineException($"Docker engine request {what} timed out: {ex.Message}", ex);
        }
    }

    static SocketException? Unreachable(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
            if (e is SocketException socket) return socket;
        return null;
    }

    /// <summary>The engine's JSON error body ({"message": ...}) as its message, else the body as it came.</summary>
    static string EngineMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return "(no message)";
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && json.RootElement.TryGetProperty("message", out var message))
                return message.GetString()?.Trim() ?? body.Trim();
        }
        catch (System.Text.Json.JsonException) { }
        return body.Trim();
    }
}
