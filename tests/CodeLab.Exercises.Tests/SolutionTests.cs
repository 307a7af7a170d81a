namespace CodeLab.Exercises.Tests;

public sealed class SolutionTests
{
    [Fact]
    public void Reference_alternatives_and_flawed_solutions_are_read_with_their_manifests()
    {
        using var folder = new ExerciseFolder();
        folder.Write("solutions/alternatives/other/solution.json", "{ \"description\": \"another design\" }");
        folder.Write("solutions/flawed/lossy/flaw.json", "{ \"criterion\": \"b\", \"levels\": [\"junior\", \"mid\"], \"description\": \"loses b\" }");
        var solutions = Solution.ReadAll(folder.Load());
        solutions.Select(s => (s.Name, s.Kind)).ShouldBe([("reference", SolutionKind.Reference), ("other", SolutionKind.Alternative), ("lossy", SolutionKind.Flawed)]);
        solutions[2].Criterion.ShouldBe("b");
        solutions[2].Levels.ShouldBe(["junior", "mid"]);
    }

    [Fact]
    public void A_flaw_on_a_criterion_its_level_lacks_is_refused()
    {
        using var folder = new ExerciseFolder();
        folder.Write("solutions/flawed/bad/flaw.json", "{ \"criterion\": \"c\", \"levels\": [\"junior\"], \"description\": \"x\" }");
        Should.Throw<ExerciseException>(() => Solution.ReadAll(folder.Load())).Message.ShouldContain("criterion 'c' does not exist at level junior");
    }
}
