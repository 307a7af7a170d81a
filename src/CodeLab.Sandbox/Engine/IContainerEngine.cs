namespace CodeLab.Sandbox.Engine;

/// <summary>
/// The narrow slice of a container engine that CodeLab needs. <see cref="DockerEngine"/> speaks the Docker
/// Engine API over its unix socket; a packaged client (Docker.DotNet) could stand behind this interface
/// where the package source serves one.
/// </summary>
public interface IContainerEngine
{
    Task<EngineInfo> GetInfoAsync(CancellationToken cancellationToken);

    /// <summary>Null when the image does not exist.</summary>
    Task<ImageInfo?> InspectImageAsync(string image, CancellationToken cancellationToken);

    Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken);

    /// <summary>Attaches to stdin, stdout and stderr. Attach before start so that no output is missed.</summary>
    Task<IContainerAttachment> AttachAsync(string containerId, CancellationToken cancellationToken);

    Task StartContainerAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>Waits until the container stops and returns its exit code.</summary>
    Task<long> WaitContainerAsync(string containerId, CancellationToken cancellationToken);

    Task<ContainerState> InspectContainerAsync(string containerId, CancellationToken cancellationToken);

    Task KillContainerAsync(string containerId, CancellationToken cancellationToken);

    Task StopContainerAsync(string containerId, TimeSpan grace, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="command"/> in the running container and waits for it to end (docker exec).</summary>
    Task<ExecResult> ExecAsync(string containerId, IReadOnlyList<string> command, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the container (forcibly, with its anonymous volumes) and returns once it is gone. Missing containers are
    /// not an error; one whose removal is still under way elsewhere is (<see cref="ContainerEngineException"/>: ask again).
    /// </summary>
    Task RemoveContainerAsync(string containerId, CancellationToken cancellationToken);

    Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(string labelFilter, CancellationToken cancellationToken);

    Task<string> CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken);

    /// <summary>Removes the network. Missing networks are not an error.</summary>
    Task RemoveNetworkAsync(string networkId, CancellationToken cancellationToken);

    Task<IReadOnlyList<NetworkSummary>> ListNetworksAsync(string labelFilter, CancellationToken cancellationToken);
}

/// <summary>A live attach: write the container's stdin, read its stdout and stderr frames.</summary>
public interface IContainerAttachment : IAsyncDisposable
{
    Task WriteStdinAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Signals end of input to the container (half-closes the connection).</summary>
    void CloseStdin();

    /// <summary>The next output frame, or null when the container's output has ended.</summary>
    ValueTask<OutputFrame?> ReadFrameAsync(CancellationToken cancellationToken);
}

public enum OutputStream { Stdout = 1, Stderr = 2 }

public sealed record OutputFrame(OutputStream Stream, ReadOnlyMemory<byte> Data);
