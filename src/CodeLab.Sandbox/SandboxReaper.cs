using System.Diagnostics;
using CodeLab.Sandbox.Engine;

namespace CodeLab.Sandbox;

/// <summary>
/// Removes containers and networks a crashed grader left behind: those whose owner process on this host is
/// gone, and any older than <see cref="MaxAge"/> whoever made them. Runs when a grader starts.
/// </summary>
public sealed class SandboxReaper(IContainerEngine engine, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(2);

    public async Task<int> ReapAsync(CancellationToken cancellationToken)
    {
        var reaped = 0;
        foreach (var container in await engine.ListContainersAsync(SandboxLabels.Marker, cancellationToken))
        {
            if (!IsAbandoned(container.Labels, container.Created)) continue;
            await engine.RemoveContainerAsync(container.Id, cancellationToken);
            reaped++;
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
        return reaped;
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
