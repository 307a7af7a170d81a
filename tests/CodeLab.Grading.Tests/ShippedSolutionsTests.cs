using CodeLab.Exercises;
using CodeLab.TestSupport;

namespace CodeLab.Grading.Tests;

/// <summary>A flawed solution stored as an overlay is graded as the whole submission it stands for.</summary>
public sealed class ShippedSolutionsTests
{
    static readonly ExerciseCatalog Repository = ExerciseCatalog.Load(RepositoryPaths.Exercises);

    public static TheoryData<string, string> Flawed()
    {
        var data = new TheoryData<string, string>();
        foreach (var part in Repository.All.SelectMany(e => e.Parts))
            foreach (var solution in Solution.ReadAll(part).Where(s => s.Kind == SolutionKind.Flawed))
                data.Add(part.Folder, solution.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Flawed))]
    public void An_overlay_is_read_as_its_base_with_the_flaw_s_files_in_place(string part, string name)
    {
        var solution = Solution.ReadAll(Repository.All.SelectMany(e => e.Parts).Single(p => p.Folder == part)).Single(s => s.Name == name);
        var baseSubmission = ShippedSolutions.Read(solution.Base!);

        var submission = ShippedSolutions.Read(solution);

        submission.Folder.ShouldBe(Path.GetFullPath(solution.Folder));
        var expected = solution.Files().Where(f => f.Path.EndsWith(".cs", StringComparison.Ordinal)).ToList();
        submission.Files.Select(f => f.Path).ShouldBe(expected.Select(f => f.Path));
        foreach (var (file, source) in submission.Files.Zip(expected))
            file.Text.ShouldBe(File.ReadAllText(source.FullPath));
        submission.Sha256.ShouldNotBe(baseSubmission.Sha256);
        foreach (var own in solution.Own().Where(f => !solution.Add.Contains(f.Path)))
            submission.Files.Single(f => f.Path == own.Path).Text.ShouldNotBe(baseSubmission.Files.Single(f => f.Path == own.Path).Text);
    }
}
