namespace CodeLab.Sandbox;

/// <summary>Resource limits of one sandbox container.</summary>
public sealed record SandboxLimits
{
    public long MemoryBytes { get; init; } = 512L * 1024 * 1024;
    public double Cpus { get; init; } = 2;
    public int Pids { get; init; } = 256;
    /// <summary>Wall clock from start to exit; the container is killed when it runs over.</summary>
    public TimeSpan WallClock { get; init; } = TimeSpan.FromSeconds(90);
    /// <summary>Size of the writable /tmp (tmpfs).</summary>
    public int TmpMegabytes { get; init; } = 64;
    /// <summary>Size of /work (tmpfs) where the runner unpacks its input.</summary>
    public int WorkMegabytes { get; init; } = 64;
}

/// <summary>What to run in a sandbox. The hardening (no capabilities, read-only root, no new privileges,
/// non-root user, no mounts from the host) is not negotiable and not part of the request.</summary>
public sealed record SandboxRequest
{
    public required string Image { get; init; }
    /// <summary>Short role shown in the container's name (e.g. "tests", "redis").</summary>
    public required string Role { get; init; }
    public IReadOnlyList<string> Command { get; init; } = [];
    public IReadOnlyList<string>? Entrypoint { get; init; }
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
    public SandboxLimits Limits { get; init; } = new();
    /// <summary>"none" (no network at all), or the name of a per-run internal network.</summary>
    public string Network { get; init; } = "none";
    public IReadOnlyList<string> NetworkAliases { get; init; } = [];
    /// <summary>Bytes written to the container's stdin, which is then closed. Empty: stdin stays closed.</summary>
    public ReadOnlyMemory<byte> Stdin { get; init; }
    /// <summary>Labels added to the codelab ones (e.g. the grade's run id).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    /// <summary>Stdout beyond this is counted and dropped.</summary>
    public int MaxStdoutBytes { get; init; } = 8 * 1024 * 1024;
    /// <summary>Stderr beyond this is counted and dropped (the start of stderr says why a process died).</summary>
    public int MaxStderrBytes { get; init; } = 32 * 1024;
}

/// <summary>How a sandbox run ended.</summary>
public sealed record SandboxResult
{
    public required string ContainerName { get; init; }
    public long ExitCode { get; init; }
    public bool TimedOut { get; init; }
    public bool OomKilled { get; init; }
    /// <summary>Stopped by its caller before it exited (e.g. after the runner reported a hung test).</summary>
    public bool StoppedByCaller { get; init; }
    public required string Stderr { get; init; }
    public long StdoutBytes { get; init; }
    public long DroppedOutputBytes { get; init; }
    public TimeSpan Wall { get; init; }
}
