namespace CodeLab.Sandbox.Engine;

public sealed record EngineInfo(string Version, string ApiVersion, string OperatingSystem, string Architecture);

public sealed record ImageInfo(string Id, IReadOnlyDictionary<string, string> Labels, DateTimeOffset Created);

/// <summary>A container as the engine is asked to create it. Security settings are explicit, never defaults.</summary>
public sealed record ContainerSpec
{
    public required string Image { get; init; }
    public string? Name { get; init; }
    /// <summary>Overrides the image's entrypoint when set.</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }
    public IReadOnlyList<string> Command { get; init; } = [];
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public string User { get; init; } = "65534:65534";
    public string? WorkingDirectory { get; init; }
    public bool OpenStdin { get; init; }

    /// <summary>"none", or the name of a network to join.</summary>
    public string NetworkMode { get; init; } = "none";
    /// <summary>Names other containers on the network use to reach this one.</summary>
    public IReadOnlyList<string> NetworkAliases { get; init; } = [];

    public long MemoryBytes { get; init; }
    public long NanoCpus { get; init; }
    public long PidsLimit { get; init; }
    public bool ReadOnlyRootFilesystem { get; init; } = true;
    /// <summary>Mount point -> tmpfs options (e.g. "size=64m").</summary>
    public IReadOnlyDictionary<string, string> Tmpfs { get; init; } = new Dictionary<string, string>();
    /// <summary>Open files limit (ulimit -n).</summary>
    public long NoFileLimit { get; init; } = 1024;
}

/// <summary>How a command run in a container ended: its exit code and its output (stdout, then stderr).</summary>
public sealed record ExecResult(long ExitCode, string Output);

public sealed record ContainerState(string Id, string Status, bool Running, long ExitCode, bool OomKilled, string? Error);

public sealed record ContainerSummary(string Id, IReadOnlyList<string> Names, string State, IReadOnlyDictionary<string, string> Labels, DateTimeOffset Created);

/// <param name="BridgeName">The host's interface name for the network's bridge (at most 15 characters); Docker's own
/// "br-&lt;id&gt;" when null. Naming it up front lets the host be fenced off before the network exists (see HostFence).</param>
public sealed record NetworkSpec(string Name, bool Internal, IReadOnlyDictionary<string, string> Labels, string? BridgeName = null);

/// <param name="BridgeName">The host's interface name for the network's bridge.</param>
/// <param name="Gateway">The bridge's (the host's) address on the network, when the engine says.</param>
public sealed record NetworkSummary(string Id, string Name, IReadOnlyDictionary<string, string> Labels, DateTimeOffset Created, string BridgeName = "", string? Gateway = null);

/// <summary>The engine cannot be reached or refused a request for a reason that is not the submission's fault.</summary>
public sealed class ContainerEngineException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>True when the engine is not reachable at all (not running, wrong socket).</summary>
    public bool Unreachable { get; init; }
}
