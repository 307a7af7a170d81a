namespace CodeLab.Exercises;

/// <summary>The levels an exercise can have, in order; a level includes everything below it.</summary>
public static class Levels
{
    public static readonly IReadOnlyList<string> All = ["junior", "mid", "senior"];

    public static int Rank(string level) => All.IndexOf(level) is var i and >= 0
        ? i
        : throw new ArgumentException($"unknown level '{level}': expected one of {string.Join(", ", All)}");

    public static bool IsKnown(string level) => All.Contains(level);

    static int IndexOf(this IReadOnlyList<string> list, string item)
    {
        for (var i = 0; i < list.Count; i++) if (list[i] == item) return i;
        return -1;
    }
}
