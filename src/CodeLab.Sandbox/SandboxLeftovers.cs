using System.Globalization;
using CodeLab.Sandbox.Engine;

namespace CodeLab.Sandbox;

/// <summary>
/// The containers and networks this process created that are still there, each described for a person: kind, name,
/// role, run, state and when it was created. What a check that a grade left nothing behind prints when it finds
/// something (a calibration, the tests): the cause is then findable in the engine's log by name and time.
/// </summary>
public static class SandboxLeftovers
{
    /// <param name="scope">Only the work that named itself so (<see cref="SandboxLabels.CurrentScope"/>); null: all of this process's.</param>
    /// <param name="networks">Networks as well as containers.</param>
    public static async Task<IReadOnlyList<string>> DescribeAsync(IContainerEngine engine, string? scope, bool networks, CancellationToken cancellationToken)
    {
        bool Ours(IReadOnlyDictionary<string, string> labels) =>
            labels.GetValueOrDefault(SandboxLabels.Owner) == SandboxLabels.CurrentOwner
            && (scope is null || labels.GetValueOrDefault(SandboxLabels.Scope) == scope);
        static string Of(IReadOnlyDictionary<string, string> labels) =>
            $"role {labels.GetValueOrDefault(SandboxLabels.Role) ?? "-"}, run {labels.GetValueOrDefault(SandboxLabels.Run) ?? "-"}";
        static string Time(DateTimeOffset created) => created.ToString("HH:mm:ss", CultureInfo.InvariantCulture);

        var left = (await engine.ListContainersAsync(SandboxLabels.Marker, cancellationToken).ConfigureAwait(false)).Where(c => Ours(c.Labels))
            .Select(c => $"container {c.Names.FirstOrDefault()?.TrimStart('/') ?? c.Id[..12]} ({Of(c.Labels)}, {c.State}, created {Time(c.Created)})")
            .ToList();
        if (networks)
            left.AddRange((await engine.ListNetworksAsync(SandboxLabels.Marker, cancellationToken).ConfigureAwait(false)).Where(n => Ours(n.Labels))
                .Select(n => $"network {n.Name} ({Of(n.Labels)}, created {Time(n.Created)})"));
        return left;
    }
}
