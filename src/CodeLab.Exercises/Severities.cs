namespace CodeLab.Exercises;

/// <summary>
/// What failing a criterion (or one of its tests) means, worst first: a blocker breaks the exercise's central promise
/// (money charged twice, the limit not held, events lost); a major flaw costs availability, recovery or unbounded
/// resources; a minor one is a protocol detail. The score's band and the report's recommendation follow the worst.
/// </summary>
public static class Severities
{
    public const string Blocker = "blocker";
    public const string Major = "major";
    public const string Minor = "minor";

    public static readonly IReadOnlyList<string> All = [Blocker, Major, Minor];

    public static bool IsKnown(string? severity) => severity is Blocker or Major or Minor;

    /// <summary>0 for a blocker, 1 major, 2 minor: lower is worse.</summary>
    public static int Rank(string severity) => severity switch
    {
        Blocker => 0,
        Major => 1,
        Minor => 2,
        _ => throw new ArgumentException($"unknown severity '{severity}'", nameof(severity)),
    };

    /// <summary>The worse of the severities given, or null when there are none.</summary>
    public static string? Worst(IEnumerable<string> severities) =>
        severities.OrderBy(Rank).FirstOrDefault();
}
