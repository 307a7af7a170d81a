namespace CodeLab.Grading;

/// <summary>A progress message. Ticks (one per test) are worth showing live on a terminal, not in a log.</summary>
public sealed record Progress(string Text, bool IsTick = false);
