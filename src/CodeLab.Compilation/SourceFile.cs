namespace CodeLab.Compilation;

/// <summary>A C# source file. <see cref="Path"/> is what diagnostics show: relative to the submission for
/// candidate files, a neutral label for the grader's own (hidden test paths are never shown).</summary>
public sealed record SourceFile(string Path, string Text);
