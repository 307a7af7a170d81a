using CodeLab.Compilation;
using CodeLab.Exercises;
using CodeLab.TestSupport;

namespace CodeLab.Grading.Tests;

/// <summary>
/// A service level's tests are compiled once per process and reused while their sources are unchanged; a library
/// level's tests, which reference the candidate's code, are compiled for every submission. No Docker needed.
/// </summary>
public sealed class CompiledServiceTestsTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("codelab-compiled-tests").FullName;
    readonly CompileStage stage = new(new ReferenceAssemblies(RepositoryPaths.RunnerBuild));

    public CompiledServiceTestsTests()
    {
        // A copy of the fixture exercises: one test edits a hidden test file.
        GradingFixture.CopyTree(Path.Combine(GradingFixture.Fixtures, "exercises"), root);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    Exercise Find(string id, string level) => ExerciseCatalog.Load(root).Find(id).ForLevel(level);

    CompileStageResult Compile(Exercise exercise, string level, string solution)
    {
        var result = stage.Run(exercise, level, SubmissionReader.Read(Path.Combine(root, exercise.Id, "solutions", solution)), TestContext.Current.CancellationToken);
        result.StopVerdict.ShouldBeNull(result.StopReason);
        return result;
    }

    [Fact]
    public void Two_submissions_of_a_service_level_share_one_compile_of_its_tests()
    {
        var payments = Find("payments", "junior");

        var first = Compile(payments, "junior", "reference");
        var second = Compile(payments, "junior", "flawed/no-idempotency");

        second.TestAssembly.ShouldBeSameAs(first.TestAssembly);
        second.CandidateAssembly.ShouldNotBe(first.CandidateAssembly);
    }

    [Fact]
    public void An_edited_test_file_is_compiled_afresh()
    {
        var payments = Find("payments", "junior");
        var before = Compile(payments, "junior", "reference");
        var file = Path.Combine(root, "payments", "tests", "hidden", "PaymentsJudgeTests.cs");
        File.AppendAllText(file, "\ninternal static class EditedMarker { public const string Text = \"edited after the first grade\"; }\n");

        var after = Compile(payments, "junior", "reference");

        after.TestAssembly.ShouldNotBeSameAs(before.TestAssembly);
        System.Text.Encoding.UTF8.GetString(after.TestAssembly!).ShouldContain("EditedMarker");
        System.Text.Encoding.UTF8.GetString(before.TestAssembly!).ShouldNotContain("EditedMarker");
    }

    [Fact]
    public void A_library_level_compiles_its_tests_against_each_submission()
    {
        var counter = Find("counter", "mid");

        var first = Compile(counter, "mid", "reference");
        var second = Compile(counter, "mid", "reference");

        second.TestAssembly.ShouldNotBeSameAs(first.TestAssembly);
    }
}
