namespace CodeLab.Cli;

/// <summary>The exit codes of DESIGN.md.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The command ran but found something wrong (demo: a grade was not what it should be).</summary>
    public const int Failed = 1;
    public const int BadInput = 2;
    public const int Infrastructure = 3;
    public const int Cancelled = 130;
}
