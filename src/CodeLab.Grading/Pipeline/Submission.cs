using CodeLab.Compilation;

namespace CodeLab.Grading;

/// <summary>
/// The candidate's source files, as the grader took them from the handed-in folder: read once, into memory, so
/// nothing the folder does afterwards changes what is graded. <see cref="Folder"/> is where they came from, for the
/// record only.
/// </summary>
public sealed record Submission(string Folder, IReadOnlyList<SourceFile> Files, string Sha256, IReadOnlyDictionary<string, long> Sizes);
