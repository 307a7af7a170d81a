using System.Collections.Concurrent;
using CodeLab.Sandbox.Engine;

namespace CodeLab.Sandbox.Tests;

/// <summary>Keeps containers and networks by name and id; a held create waits for <see cref="ReleaseCreates"/> before the object exists.</summary>
sealed class FakeEngine : IContainerEngine
{
    readonly ConcurrentDictionary<string, string> existing = new(); // id -> name
    readonly ConcurrentDictionary<string, int> failing = new();
    readonly TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    int creates, starts;

    public bool HoldCreates { get; init; }
    public TaskCompletionSource CreateEntered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public ConcurrentQueue<string> Removals { get; } = new();
    public int Creates => Volatile.Read(ref creates);
    public int Starts => Volatile.Read(ref starts);
    public ICollection<string> Existing => existing.Keys;

    public void ReleaseCreates() => release.TrySetResult();
    public void FailRemovals(string id, int times) => failing[id] = times;

    async Task<string> CreateAsync(string id, string name)
    {
        CreateEntered.TrySetResult();
        if (HoldCreates) await release.Task;
        Interlocked.Increment(ref creates);
        existing[id] = name;
        return id;
    }

    Task RemoveAsync(string idOrName, string recorded)
    {
        Removals.Enqueue(recorded);
        var id = existing.FirstOrDefault(e => e.Key == idOrName || e.Value == idOrName).Key;
        if (id is null) return Task.CompletedTask;
        if (failing.TryGetValue(id, out var left) && left > 0)
        {
            failing[id] = left - 1;
            throw new ContainerEngineException($"fake refusal to remove {id}");
        }
        if (existing.Keys.Any(k => k != id && k.StartsWith("c", StringComparison.Ordinal)) && id.StartsWith("n", StringComparison.Ordinal))
            throw new ContainerEngineException("network in use");
        existing.TryRemove(id, out _);
        return Task.CompletedTask;
    }

    public Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken) => CreateAsync("c" + Guid.NewGuid().ToString("N"), spec.Name!);
    public Task<string> CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken) => CreateAsync("n" + Guid.NewGuid().ToString("N"), spec.Name);
    public Task RemoveContainerAsync(string containerId, CancellationToken cancellationToken) => RemoveAsync(containerId, containerId);
    public Task RemoveNetworkAsync(string networkId, CancellationToken cancellationToken) => RemoveAsync(networkId, "net:" + networkId);

    public Task<IContainerAttachment> AttachAsync(string containerId, CancellationToken cancellationToken) => Task.FromResult<IContainerAttachment>(new Silent());

    public Task StartContainerAsync(string containerId, CancellationToken cancellationToken)
    {
        if (!existing.ContainsKey(containerId)) throw new ContainerEngineException($"no such container {containerId}");
        Interlocked.Increment(ref starts);
        return Task.CompletedTask;
    }

    public Task<EngineInfo> GetInfoAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<ImageInfo?> InspectImageAsync(string image, CancellationToken cancellationToken) => throw new NotSupportedException();
    /// <summary>What inspecting a container answers, one state per call (the last one repeats); none: not supported.</summary>
    public ConcurrentQueue<ContainerState> States { get; } = new();
    public int Inspections => Volatile.Read(ref inspections);
    int inspections;

    public Task<long> WaitContainerAsync(string containerId, CancellationToken cancellationToken) =>
        States.TryPeek(out var state) ? Task.FromResult(state.ExitCode) : throw new NotSupportedException();

    public Task<ContainerState> InspectContainerAsync(string containerId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref inspections);
        if (States.Count > 1 && States.TryDequeue(out var next)) return Task.FromResult(next);
        return States.TryPeek(out var last) ? Task.FromResult(last) : throw new NotSupportedException();
    }
    public Task KillContainerAsync(string containerId, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task StopContainerAsync(string containerId, TimeSpan grace, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<ExecResult> ExecAsync(string containerId, IReadOnlyList<string> command, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(string labelFilter, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<IReadOnlyList<NetworkSummary>> ListNetworksAsync(string labelFilter, CancellationToken cancellationToken) => throw new NotSupportedException();
}

sealed class Silent : IContainerAttachment
{
    public Task WriteStdinAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => Task.CompletedTask;
    public void CloseStdin() { }
    public ValueTask<OutputFrame?> ReadFrameAsync(CancellationToken cancellationToken) => ValueTask.FromResult<OutputFrame?>(null);
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
