using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CodeLab.Sandbox.Engine;

/// <summary>
/// The Docker Engine API over its unix socket (Docker.DotNet is not served here). Pinned to API 1.41, which
/// Debian's engine (20.10) speaks and later engines still accept.
/// </summary>
public sealed class DockerEngine : IContainerEngine, IDisposable
{
    public const string ApiVersion = "v1.41";
    const string DefaultSocket = "/var/run/docker.sock";

    readonly HttpClient http;

    public DockerEngine(string? socketPath = null)
    {
        SocketPath = socketPath ?? SocketFromEnvironment() ?? DefaultSocket;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = (_, ct) => ConnectAsync(SocketPath, ct),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };
        // Waits on containers are long polls bounded by the caller's cancellation, never by a client time-out.
        http = new HttpClient(handler) { BaseAddress = new Uri($"http://docker/{ApiVersion}/"), Timeout = Timeout.InfiniteTimeSpan };
    }

    public string SocketPath { get; }

    static string? SocketFromEnvironment()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (string.IsNullOrEmpty(host)) return null;
        if (host.StartsWith("unix://", StringComparison.Ordinal)) return host["unix://".Length..];
        throw new ContainerEngineException($"DOCKER_HOST={host} is not supported: CodeLab talks to the engine over a unix socket (unix:///path).") { Unreachable = true };
    }

    internal static async ValueTask<Stream> ConnectAsync(string socketPath, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new ContainerEngineException(
                $"The Docker engine does not answer on {socketPath} ({ex.SocketErrorCode}). Start it (./codelab prepares it) or check with ./codelab doctor.", ex)
            { Unreachable = true };
        }
    }

    public async Task<EngineInfo> GetInfoAsync(CancellationToken cancellationToken)
    {
        var json = await GetJsonAsync("version", cancellationToken) ?? throw new ContainerEngineException("engine returned no version");
        return new EngineInfo(Str(json, "Version"), Str(json, "ApiVersion"), Str(json, "Os"), Str(json, "Arch"));
    }

    public async Task<ImageInfo?> InspectImageAsync(string image, CancellationToken cancellationToken)
    {
        var json = await GetJsonAsync($"images/{Uri.EscapeDataString(image)}/json", cancellationToken, notFoundIsNull: true);
        if (json is null) return null;
        return new ImageInfo(Str(json, "Id"), Labels(json["Config"]?["Labels"]), ParseTime(json["Created"]));
    }

    public async Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken)
    {
        var hostConfig = new JsonObject
        {
            ["NetworkMode"] = spec.NetworkMode,
            ["ReadonlyRootfs"] = spec.ReadOnlyRootFilesystem,
            ["Memory"] = spec.MemoryBytes,
            ["MemorySwap"] = spec.MemoryBytes, // no swap: the memory limit is the limit
            ["NanoCpus"] = spec.NanoCpus,
            ["PidsLimit"] = spec.PidsLimit,
            ["CapDrop"] = new JsonArray("ALL"),
            ["SecurityOpt"] = new JsonArray("no-new-privileges"),
            ["Privileged"] = false,
            ["Tmpfs"] = ToObject(spec.Tmpfs),
            // Output is read over the attach stream; the engine keeps no log file a flood could grow.
            ["LogConfig"] = new JsonObject { ["Type"] = "none", ["Config"] = new JsonObject() },
            ["Ulimits"] = new JsonArray(new JsonObject { ["Name"] = "nofile", ["Soft"] = spec.NoFileLimit, ["Hard"] = spec.NoFileLimit }),
            ["Binds"] = new JsonArray(),
        };
        var body = new JsonObject
        {
            ["Image"] = spec.Image,
            ["Cmd"] = ToArray(spec.Command),
            ["Env"] = ToArray(spec.Environment.Select(kv => $"{kv.Key}={kv.Value}")),
            ["Labels"] = ToObject(spec.Labels),
            ["User"] = spec.User,
            ["AttachStdin"] = spec.OpenStdin,
            ["AttachStdout"] = true,
            ["AttachStderr"] = true,
            ["OpenStdin"] = spec.OpenStdin,
            ["StdinOnce"] = spec.OpenStdin,
            ["Tty"] = false,
            ["HostConfig"] = hostConfig,
        };
        if (spec.Entrypoint is not null) body["Entrypoint"] = ToArray(spec.Entrypoint);
        if (spec.WorkingDirectory is not null) body["WorkingDir"] = spec.WorkingDirectory;
        if (spec.NetworkMode != "none")
        {
            body["NetworkingConfig"] = new JsonObject
            {
                ["EndpointsConfig"] = new JsonObject { [spec.NetworkMode] = new JsonObject { ["Aliases"] = ToArray(spec.NetworkAliases) } },
            };
        }

        var path = spec.Name is null ? "containers/create" : $"containers/create?name={Uri.EscapeDataString(spec.Name)}";
        var json = await SendJsonAsync(HttpMethod.Post, path, body, cancellationToken);
        return Str(json!, "Id");
    }

    public async Task<IContainerAttachment> AttachAsync(string containerId, CancellationToken cancellationToken) =>
        await HijackedAttachment.OpenAsync(SocketPath, $"/{ApiVersion}/containers/{containerId}/attach?stream=1&stdin=1&stdout=1&stderr=1", cancellationToken);

    public Task StartContainerAsync(string containerId, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Post, $"containers/{containerId}/start", null, cancellationToken, ignore: [HttpStatusCode.NotModified]);

    public async Task<long> WaitContainerAsync(string containerId, CancellationToken cancellationToken)
    {
        var json = await SendJsonAsync(HttpMethod.Post, $"containers/{containerId}/wait", null, cancellationToken);
        return json?["StatusCode"]?.GetValue<long>() ?? -1;
    }

    public async Task<ContainerState> InspectContainerAsync(string containerId, CancellationToken cancellationToken)
    {
        var json = await GetJsonAsync($"containers/{containerId}/json", cancellationToken)
                   ?? throw new ContainerEngineException($"container {containerId} not found");
        var state = json["State"]!;
        return new ContainerState(
            Str(json, "Id"),
            state["Status"]?.GetValue<string>() ?? "",
            state["Running"]?.GetValue<bool>() ?? false,
            state["ExitCode"]?.GetValue<long>() ?? -1,
            state["OOMKilled"]?.GetValue<bool>() ?? false,
            state["Error"]?.GetValue<string>() is { Length: > 0 } error ? error : null);
    }

    public Task KillContainerAsync(string containerId, CancellationToken cancellationToken) =>
        // 409: not running any more, which is what we wanted.
        SendJsonAsync(HttpMethod.Post, $"containers/{containerId}/kill", null, cancellationToken, ignore: [HttpStatusCode.Conflict, HttpStatusCode.NotFound]);

    public Task StopContainerAsync(string containerId, TimeSpan grace, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Post, $"containers/{containerId}/stop?t={(int)grace.TotalSeconds}", null, cancellationToken,
            ignore: [HttpStatusCode.NotModified, HttpStatusCode.NotFound]);

    public Task RemoveContainerAsync(string containerId, CancellationToken cancellationToken) =>
        // 409: removal already in progress elsewhere.
        SendJsonAsync(HttpMethod.Delete, $"containers/{containerId}?force=1&v=1", null, cancellationToken, ignore: [HttpStatusCode.NotFound, HttpStatusCode.Conflict]);

    public async Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(string labelFilter, CancellationToken cancellationToken)
    {
        var filters = Uri.EscapeDataString(JsonSerializer.Serialize(new Dictionary<string, string[]> { ["label"] = [labelFilter] }));
        var json = await GetJsonAsync($"containers/json?all=1&filters={filters}", cancellationToken);
        return json!.AsArray().Select(c => new ContainerSummary(
            Str(c!, "Id"),
            c!["Names"]?.AsArray().Select(n => n!.GetValue<string>().TrimStart('/')).ToList() ?? [],
            c["State"]?.GetValue<string>() ?? "",
            Labels(c["Labels"]),
            DateTimeOffset.FromUnixTimeSeconds(c["Created"]?.GetValue<long>() ?? 0))).ToList();
    }

    public async Task<string> CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["Name"] = spec.Name,
            ["CheckDuplicate"] = true,
            ["Driver"] = "bridge",
            ["Internal"] = spec.Internal,
            ["Labels"] = ToObject(spec.Labels),
        };
        if (spec.BridgeName is { } bridge) body["Options"] = new JsonObject { [BridgeNameOption] = bridge };
        var json = await SendJsonAsync(HttpMethod.Post, "networks/create", body, cancellationToken);
        return Str(json!, "Id");
    }

    public Task RemoveNetworkAsync(string networkId, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Delete, $"networks/{networkId}", null, cancellationToken, ignore: [HttpStatusCode.NotFound]);

    public async Task<IReadOnlyList<NetworkSummary>> ListNetworksAsync(string labelFilter, CancellationToken cancellationToken)
    {
        var filters = Uri.EscapeDataString(JsonSerializer.Serialize(new Dictionary<string, string[]> { ["label"] = [labelFilter] }));
        var json = await GetJsonAsync($"networks?filters={filters}", cancellationToken);
        return json!.AsArray().Select(n => ToNetworkSummary(n!)).ToList();
    }

    const string BridgeNameOption = "com.docker.network.bridge.name";

    static NetworkSummary ToNetworkSummary(JsonNode n)
    {
        var id = Str(n, "Id");
        var bridge = n["Options"]?[BridgeNameOption]?.GetValue<string>() is { Length: > 0 } named ? named : "br-" + id[..Math.Min(12, id.Length)];
        var gateway = n["IPAM"]?["Config"]?.AsArray().Select(c => c?["Gateway"]?.GetValue<string>()).FirstOrDefault(g => !string.IsNullOrEmpty(g));
        return new NetworkSummary(id, Str(n, "Name"), Labels(n["Labels"]), ParseTime(n["Created"]), bridge, gateway);
    }

    public void Dispose() => http.Dispose();

    Task<JsonNode?> GetJsonAsync(string path, CancellationToken cancellationToken, bool notFoundIsNull = false) =>
        SendJsonAsync(HttpMethod.Get, path, null, cancellationToken, ignore: notFoundIsNull ? [HttpStatusCode.NotFound] : []);

    async Task<JsonNode?> SendJsonAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken, HttpStatusCode[]? ignore = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.InnerException is ContainerEngineException engine)
        {
            throw engine;
        }
        catch (HttpRequestException ex)
        {
            throw new ContainerEngineException($"Docker engine request {method} {path} failed: {ex.Message}", ex) { Unreachable = true };
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (ignore is not null && ignore.Contains(response.StatusCode)) return null;
            if (!response.IsSuccessStatusCode)
            {
                var message = TryMessage(text) ?? text;
                throw new ContainerEngineException($"Docker engine refused {method} {path}: {(int)response.StatusCode} {message.Trim()}");
            }
            return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
        }
    }

    static string? TryMessage(string text)
    {
        try { return JsonNode.Parse(text)?["message"]?.GetValue<string>(); }
        catch (JsonException) { return null; }
    }

    static string Str(JsonNode node, string name) => node[name]?.GetValue<string>() ?? "";

    static IReadOnlyDictionary<string, string> Labels(JsonNode? node) =>
        node is JsonObject labels
            ? labels.ToDictionary(kv => kv.Key, kv => kv.Value?.GetValue<string>() ?? "")
            : new Dictionary<string, string>();

    static DateTimeOffset ParseTime(JsonNode? node) =>
        node?.GetValue<string>() is { } text && DateTimeOffset.TryParse(text, out var time) ? time : DateTimeOffset.MinValue;

    static JsonArray ToArray(IEnumerable<string> items) => new(items.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray());

    static JsonObject ToObject(IReadOnlyDictionary<string, string> items) =>
        new(items.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));
}
