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
}
