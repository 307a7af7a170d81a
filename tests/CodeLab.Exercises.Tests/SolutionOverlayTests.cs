using CodeLab.TestSupport;

namespace CodeLab.Exercises.Tests;

/// <summary>
/// A flawed solution is stored as an overlay of a correct one: flaw.json names the base, the folder holds only the
/// files the flaw changes. The whole submission is assembled when read, and an overlay that says less or more than
/// it changes is refused when the exercise loads.
/// </summary>
public sealed class SolutionOverlayTests
{
    static ExerciseFolder WithReference()
    {
        var folder = new ExerciseFolder();
        folder.Write("solutions/reference/src/Store.cs", "namespace Demo; public class Store { public int Ttl => 60; }");
        folder.Write("solutions/reference/src/Unused.cs", "namespace Demo; public class Unused { }");
        return folder;
    }

    static string Flaw(string extra = "") =>
        $$"""{ "base": "reference", "criterion": "b", "levels": ["junior"], "description": "no ttl"{{extra}} }""";

    [Fact]
    public void An_overlay_is_assembled_from_its_base_with_its_changes_on_top_and_its_removals_gone()
    {
        using var folder = WithReference();
        folder.Write("solutions/flawed/no-ttl/flaw.json", Flaw(", \"remove\": [\"src/Unused.cs\"], \"add\": [\"src/Extra.cs\"]"));
        folder.Write("solutions/flawed/no-ttl/src/Store.cs", "namespace Demo; public class Store { public int Ttl => 0; }");
        folder.Write("solutions/flawed/no-ttl/src/Extra.cs", "namespace Demo; public class Extra { }");

        var flawed = Solution.ReadAll(folder.Load()).Single(s => s.Name == "no-ttl");

        flawed.Base.ShouldNotBeNull().Name.ShouldBe("reference");
        var files = flawed.Files();
        files.Select(f => f.Path).ShouldBe(["src/Extra.cs", "src/Store.cs", "src/Thing.cs"]);
        File.ReadAllText(files.Single(f => f.Path == "src/Store.cs").FullPath).ShouldContain("Ttl => 0");
        File.ReadAllText(files.Single(f => f.Path == "src/Thing.cs").FullPath).ShouldBe("namespace Demo; public class Thing { }");
        flawed.Own().Select(f => f.Path).ShouldBe(["src/Extra.cs", "src/Store.cs"]);
    }

    [Fact]
    public void An_overlay_can_change_an_alternative()
    {
        using var folder = WithReference();
        folder.Write("solutions/alternatives/lua/solution.json", "{ \"description\": \"lua\" }");
        folder.Write("solutions/alternatives/lua/src/Script.cs", "namespace Demo; public class Script { public string Text => \"a\"; }");
        folder.Write("solutions/flawed/bad-script/flaw.json", Flaw().Replace("\"reference\"", "\"alternatives/lua\""));
        folder.Write("solutions/flawed/bad-script/src/Script.cs", "namespace Demo; public class Script { public string Text => \"b\"; }");

        var flawed = Solution.ReadAll(folder.Load()).Single(s => s.Name == "bad-script");

        flawed.Base.ShouldNotBeNull().Name.ShouldBe("lua");
        flawed.Files().Select(f => f.Path).ShouldBe(["src/Script.cs"]);
    }

    [Theory]
    [InlineData("src/Store.cs", "namespace Demo; public class Store { public int Ttl => 60; }", "", "identical to reference's")]
    [InlineData("src/Other.cs", "namespace Demo; class Other { }", "", "not a file of reference")]
    [InlineData("src/Store.cs", "namespace Demo; public class Store { }", ", \"remove\": [\"src/Gone.cs\"]", "\"remove\" names src/Gone.cs")]
    [InlineData("src/Store.cs", "namespace Demo; public class Store { }", ", \"remove\": [\"src/Store.cs\"]", "both removed and changed")]
    [InlineData("src/Store.cs", "namespace Demo; public class Store { }", ", \"add\": [\"src/Store.cs\"]", "already has")]
    [InlineData("src/Store.cs", "namespace Demo; public class Store { }", ", \"add\": [\"src/Missing.cs\"]", "which the overlay does not have")]
    [InlineData("src/Store.cs", "namespace Demo; public class Store { }", ", \"alsoLoses\": [\"c\"]", "\"alsoLoses\" names 'c'")]
    public void An_overlay_that_does_not_say_exactly_what_it_changes_is_refused(string file, string content, string extra, string message)
    {
        using var folder = WithReference();
        folder.Write("solutions/flawed/drift/flaw.json", Flaw(extra));
        folder.Write($"solutions/flawed/drift/{file}", content);

        Should.Throw<ExerciseException>(() => Solution.ReadAll(folder.Load())).Message.ShouldContain(message);
    }

    [Theory]
    [InlineData("flawed/other")]
    [InlineData("nothing")]
    public void An_overlay_must_change_a_correct_solution(string baseName)
    {
        using var folder = WithReference();
        folder.Write("solutions/flawed/drift/flaw.json", Flaw().Replace("\"reference\"", $"\"{baseName}\""));
        folder.Write("solutions/flawed/drift/src/Store.cs", "namespace Demo; public class Store { }");

        Should.Throw<ExerciseException>(() => Solution.ReadAll(folder.Load())).Message.ShouldContain("is not a correct solution of this exercise");
    }

    [Fact]
    public void An_overlay_that_changes_nothing_is_refused()
    {
        using var folder = WithReference();
        folder.Write("solutions/flawed/empty/flaw.json", Flaw());

        Should.Throw<ExerciseException>(() => Solution.ReadAll(folder.Load())).Message.ShouldContain("changes nothing");
    }

    /// <summary>The repository's own flawed solutions are overlays: only what each flaw changes is stored.</summary>
    [Fact]
    public void Every_shipped_flawed_solution_is_an_overlay_of_a_correct_one()
    {
        var catalog = ExerciseCatalog.Load(RepositoryPaths.Exercises);
        var flawed = catalog.All.SelectMany(e => e.Parts).SelectMany(Solution.ReadAll).Where(s => s.Kind == SolutionKind.Flawed).ToList();
        flawed.ShouldNotBeEmpty();
        foreach (var solution in flawed)
            solution.Base.ShouldNotBeNull($"{solution.Folder}: flaw.json names no \"base\"; store only the files the flaw changes");
    }
}
