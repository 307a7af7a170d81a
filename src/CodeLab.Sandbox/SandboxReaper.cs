using System.Diagnostics;
using CodeLab.Sandbox.Engine;

namespace CodeLab.Sandbox;

/// <summary>
/// Removes containers and networks a crashed grader left behind: those whose owner process on this host is
/// gone, and any older than <see cref="MaxAge"/> whoever made them. Runs when a grader starts. With a
/// <see cref="HostFence"/>, it also takes down fences whose network is gone and whose owner is gone too (a live
/// owner puts its fence up just before it creates the network, and takes it down itself).
/// </summary>
public sealed class SandboxReaper(IContainerEngine engine, TimeProvider time, HostFence? fence = null)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(2);

    public async Task<int> ReapAsync(CancellationToken cancellationToken)
    {
        var reaped = 0;
        foreach (var container in await engine.ListContainersAsync(SandboxLabels.Marker, cancellationToken))
        {
            if (!IsAbandoned(container.Labels, container.Created)) continue;
            try
            {
                await engine.RemoveContainerAsync(container.Id, cancellationToken);
                reaped++;
            }
            catch (ContainerEngineException ex) when (!ex.Unreachable)
            {
                // Being removed already (another grader starting reaps it too) or refused this time: the next reap gets it.
            }
        }
        foreach (var network in await engine.ListNetworksAsync(SandboxLabels.Marker, cancellationToken))
        {
            if (!IsAbandoned(network.Labels, network.Created)) continue;
            try
            {
                await engine.RemoveNetworkAsync(network.Id, cancellationToken);
                reaped++;
            }
            catch (ContainerEngineException)
            {
                // Still in use by a container we did not reap (another live grader's): leave it.
            }
        }
        if (fence is not null) reaped += await ReapFencesAsync(fence, cancellationToken);
        return reaped;
    }

    async Task<int> ReapFencesAsync(HostFence fence, CancellationToken cancellationToken)
    {
        var rules = await fence.ListAsync(cancellationToken);
        if (rules.Count == 0) return 0;
        // Every network still there keeps its fence, whoever owns it: its containers may still be running.
        var bridges = (await engine.ListNetworksAsync(SandboxLabels.Marker, cancellationToken)).Select(n => n.BridgeName).ToHashSet(StringComparer.Ordinal);
        var reaped = 0;
        foreach (var bridge in rules.Where(r => !bridges.Contains(r.Bridge) && !OwnerIsAlive(r.Owner)).Select(r => r.Bridge).Distinct())
        {
            await fence.OpenAsync(bridge, cancellationToken);
            reaped++;
        }
        return reaped;
    }

    static bool OwnerIsAlive(string owner)
    {
        var separator = owner.LastIndexOf(':');
        if (separator < 0 || !int.TryParse(owner[(separator + 1)..], out var pid) || pid <= 0) return false;
        return owner[..separator] == Environment.MachineName && ProcessIsAlive(pid);
    }

    bool IsAbandoned(IReadOnlyDictionary<string, string> labels, DateTimeOffset created)
    {
        if (time.GetUtcNow() - created > MaxAge) return true;
        if (!labels.TryGetValue(SandboxLabels.Owner, out var owner)) return false;
        var separator = owner.LastIndexOf(':');
        if (separator < 0 || !int.TryParse(owner[(separator + 1)..], out var pid)) return false;
        if (owner[..separator] != Environment.MachineName) return false;
        return !ProcessIsAlive(pid);
    }

    static bool ProcessIsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
