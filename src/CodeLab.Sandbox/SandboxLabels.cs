namespace CodeLab.Sandbox;

/// <summary>Every container and network CodeLab creates carries these, so leftovers can always be found.</summary>
public static class SandboxLabels
{
    public const string Marker = "codelab";
    /// <summary>"host:pid" of the process that created it: a leftover whose creator is gone can be reaped at once.</summary>
    public const string Owner = "codelab.owner";
    public const string Run = "codelab.run";
    public const string Role = "codelab.role";

    public static string CurrentOwner => $"{System.Environment.MachineName}:{System.Environment.ProcessId}";

    public static Dictionary<string, string> For(string role, IReadOnlyDictionary<string, string>? extra = null)
    {
        var labels = new Dictionary<string, string>(extra ?? new Dictionary<string, string>())
        {
            [Marker] = "1",
            [Owner] = CurrentOwner,
            [Role] = role,
        };
        return labels;
    }
}
