namespace CodeLab.Protocol;

/// <summary>How a channel line is marked: the prefix, then the per-run secret, a space and the event as JSON.</summary>
public static class RunnerChannel
{
    public const string Prefix = "@codelab:";
    public const int Version = 1;
}

