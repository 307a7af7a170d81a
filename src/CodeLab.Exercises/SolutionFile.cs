namespace CodeLab.Exercises;

/// <summary>One file of a shipped solution: its path inside the submission ('/' separated) and where it is on disk.</summary>
public sealed record SolutionFile(string Path, string FullPath);
