using System.Text.Json.Nodes;

namespace CodeLab.Exercises.Tests;

public sealed class ExerciseCatalogTests
{
    [Fact]
    public void A_valid_folder_loads_with_its_levels_criteria_and_default_limits()
    {
        using var folder = new ExerciseFolder();
        var exercise = folder.Load();
        exercise.Id.ShouldBe("demo");
        exercise.Levels.Select(l => l.Id).ShouldBe(["junior", "mid"]);
        exercise.Level("mid").Criteria.Sum(c => c.Weight).ShouldBe(100);
        exercise.Level("junior").Limits.ShouldBe(LevelLimits.Default);
    }

    [Theory]
    [InlineData("kind", "\"plugin\"", "\"kind\" must be \"library\" or \"service\"")]
    [InlineData("id", "\"other\"", "they must match")]
    [InlineData("packages", "[\"Newtonsoft.Json\"]", "is not one the sandbox image carries")]
    [InlineData("frameworks", "[\"Microsoft.WindowsDesktop.App\"]", "unknown framework")]
    public void A_wrong_field_is_named_with_its_file(string field, string json, string expected)
    {
        using var folder = new ExerciseFolder();
        folder.Manifest[field] = JsonNode.Parse(json);
        folder.SaveManifest();
        var error = Should.Throw<ExerciseException>(folder.Load);
        error.Message.ShouldStartWith("demo/exercise.json: ");
        error.Message.ShouldContain(expected);
    }

    [Fact]
    public void Weights_must_add_up_to_100()
    {
        using var folder = new ExerciseFolder();
        folder.Manifest["levels"]![0]!["criteria"]![0]!["weight"] = 50;
        folder.SaveManifest();
        Should.Throw<ExerciseException>(folder.Load).Message.ShouldContain("levels[0]: criterion weights add up to 90, not 100");
    }

    [Fact]
    public void Levels_must_be_in_order()
    {
        using var folder = new ExerciseFolder();
        var levels = folder.Manifest["levels"]!.AsArray();
        var junior = levels[0]!.DeepClone();
        levels.RemoveAt(0);
        levels.Add(junior);
        folder.SaveManifest();
        Should.Throw<ExerciseException>(folder.Load).Message.ShouldContain("levels must be listed in order");
    }

    [Fact]
    public void A_missing_statement_part_is_named()
    {
        using var folder = new ExerciseFolder();
        folder.Delete("statement/mid.md");
        Should.Throw<ExerciseException>(folder.Load).Message.ShouldContain("statement/mid.md is missing");
    }

    [Fact]
    public void Invalid_json_says_so()
    {
        using var folder = new ExerciseFolder();
        folder.Write("exercise.json", "{ \"id\": ");
        Should.Throw<ExerciseException>(folder.Load).Message.ShouldContain("not valid JSON");
    }

    [Fact]
    public void Unknown_exercises_and_levels_list_what_exists()
    {
        using var folder = new ExerciseFolder();
        var catalog = ExerciseCatalog.Load(folder.Root);
        Should.Throw<ExerciseException>(() => catalog.Find("nope")).Message.ShouldContain("known exercises are demo");
        Should.Throw<ExerciseException>(() => catalog.Find("demo").Level("senior")).Message.ShouldContain("it has junior, mid");
    }

    static void AddSeniorPart(ExerciseFolder folder, string partId = "demo", string partLevel = "senior")
    {
        folder.Manifest["levels"]!.AsArray().Add(JsonNode.Parse("""{ "id": "senior", "folder": "distributed" }"""));
        folder.SaveManifest();
        folder.Write("distributed/exercise.json", $$"""
            {
              "id": "{{partId}}", "title": "Demo, distributed", "kind": "service", "skills": ["redis"],
              "service": { "redis": true },
              "levels": [ { "id": "{{partLevel}}", "timeEstimateMinutes": 180, "criteria": [ { "id": "shared", "title": "Shared", "weight": 100, "severity": "blocker" } ] } ]
            }
            """);
        folder.Write("distributed/statement/overview.md", "# Demo, distributed");
        folder.Write("distributed/statement/senior.md", "## Senior part");
        folder.Write("distributed/starter/common/src/Program.cs", "var app = 1;");
        folder.Write("distributed/tests/hidden/SeniorTests.cs", ExerciseFolder.TestClass("Demo.Tests", "SeniorTests", "senior", ("Five", "shared")));
        folder.Write("distributed/solutions/reference/src/Program.cs", "var app = 1;");
    }

    [Fact]
    public void A_level_in_a_part_folder_is_graded_from_there_with_its_own_kind_tests_and_solutions()
    {
        using var folder = new ExerciseFolder();
        AddSeniorPart(folder);

        var exercise = folder.Load();

        exercise.Levels.Select(l => l.Id).ShouldBe(["junior", "mid"]);
        exercise.AllLevels.Select(l => l.Id).ShouldBe(["junior", "mid", "senior"]);
        exercise.ForLevel("mid").ShouldBeSameAs(exercise);
        var senior = exercise.ForLevel("senior");
        senior.Kind.ShouldBe("service");
        senior.Id.ShouldBe("demo");
        senior.Folder.ShouldEndWith("distributed");
        senior.Tests.TestsFor("senior").Select(t => t.Method).ShouldBe(["Five"]);
        Solution.ReadAll(senior).Single().Levels.ShouldBe(["senior"]);
        Solution.ReadAll(exercise).Single().Levels.ShouldBe(["junior", "mid"]);
        exercise.Parts.Count.ShouldBe(2);
        exercise.KindSummary.ShouldBe("library, service (senior)");
        Should.Throw<ExerciseException>(() => exercise.ForLevel("lead")).Message.ShouldContain("it has junior, mid, senior");
    }

    [Theory]
    [InlineData("other", "senior", "but this is a part of 'demo'")]
    [InlineData("demo", "mid", "must have exactly the level 'senior'")]
    public void A_part_must_match_its_exercise_and_level(string partId, string partLevel, string expected)
    {
        using var folder = new ExerciseFolder();
        AddSeniorPart(folder, partId, partLevel);
        folder.Write("distributed/statement/mid.md", "## Mid part");
        Should.Throw<ExerciseException>(folder.Load).Message.ShouldContain(expected);
    }

    [Fact]
    public void A_level_with_a_folder_lists_nothing_else()
    {
        using var folder = new ExerciseFolder();
        AddSeniorPart(folder);
        folder.Manifest["levels"]![2]!["timeEstimateMinutes"] = 60;
        folder.SaveManifest();
        Should.Throw<ExerciseException>(folder.Load).Message.ShouldContain("list only id and folder here");
    }
}
