using CodeLab.Exercises;

namespace CodeLab.Grading;

/// <summary>
/// Reads a solution shipped with an exercise as the grader reads any hand-in. A flawed solution stored as an overlay
/// (only the files its flaw changes) is assembled first, base plus changes, in a private temporary folder, so the
/// grader sees and fingerprints the whole submission exactly as a candidate would hand it in.
/// </summary>
public static class ShippedSolutions
{
    /// <summary>
    /// The shipped solution stored in <paramref name="folder"/>, or null: `codelab grade` on a flawed solution's folder
    /// grades the whole submission it stands for; any other folder (a candidate's, whatever files it holds) is read as it is.
    /// </summary>
    public static Solution? Find(ExerciseCatalog catalog, string folder)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        return catalog.All.SelectMany(e => e.Parts).SelectMany(Solution.ReadAll)
            .FirstOrDefault(s => string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(s.Folder)), full, StringComparison.Ordinal));
    }

    public static Submission Read(Solution solution)
    {
        if (solution.Base is null) return SubmissionReader.Read(solution.Folder); // a complete solution: read as it is
        var assembled = Directory.CreateTempSubdirectory("codelab-solution-");
        try
        {
            foreach (var file in solution.Files())
            {
                var target = Path.Combine(assembled.FullName, file.Path.Replace('/', Path.DirectorySeparatorChar));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file.FullPath, target);
            }
            return SubmissionReader.Read(assembled.FullName) with { Folder = Path.GetFullPath(solution.Folder) };
        }
        finally
        {
            assembled.Delete(recursive: true);
        }
    }
}
