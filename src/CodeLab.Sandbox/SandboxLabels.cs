namespace CodeLab.Sandbox;

/// <summary>Every container and network CodeLab creates carries these, so leftovers can always be found.</summary>
public static class SandboxLabels
{
    public const string Marker = "codelab";
    /// <summary>"host:pid" of the process that created it: a leftover whose creator is gone can be reaped at once.</summary>
    public const string Owner = "codelab.owner";
    public const string Run = "codelab.run";
    public const string Role = "codelab.role";
    /// <summary>The work it was created for, within its process (<see cref="CurrentScope"/>), when that work named itself.</summary>
    public const string Scope = "codelab.scope";

    public static string CurrentOwner => $"{System.Environment.MachineName}:{System.Environment.ProcessId}";

    static readonly AsyncLocal<string?> scope = new();

    /// <summary>
    /// The work that the containers and networks created from here on, in this asynchronous flow, belong to (a
    /// calibration, a worker's job): they carry it as <see cref="Scope"/>. It flows into every task the flow starts
    /// and never out to its caller, so work that shares a process (a calibration beside a test's own containers, two
    /// jobs of one worker) can tell what it left behind from what others still use.
    /// </summary>
    public static string? CurrentScope
    {
        get => scope.Value;
        set => scope.Value = value;
    }

    public static Dictionary<string, string> For(string role, IReadOnlyDictionary<string, string>? extra = null)
    {
        var labels = new Dictionary<string, string>(extra ?? new Dictionary<string, string>())
        {
            [Marker] = "1",
            [Owner] = CurrentOwner,
            [Role] = role,
        };
        if (CurrentScope is { } current) labels[Scope] = current;
        return labels;
    }
}
