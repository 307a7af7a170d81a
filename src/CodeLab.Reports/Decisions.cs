namespace CodeLab.Reports;

/// <summary>The recommendation's decisions. <see cref="None"/> only when nothing was judged (verdict error).</summary>
public static class Decisions
{
    public const string Advance = "advance";
    public const string Discuss = "discuss";
    public const string DoNotAdvance = "do-not-advance";
    public const string None = "none";
}
