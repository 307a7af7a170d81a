using System.Text.Json.Nodes;

namespace CodeLab.Exercises.Tests;

/// <summary>Builds a small valid exercise folder in a temp directory; tests then break one thing at a time.</summary>
internal sealed class ExerciseFolder : IDisposable
{
    public ExerciseFolder(string id = "demo")
    {
        Root = Directory.CreateTempSubdirectory("codelab-exercises").FullName;
        Folder = Path.Combine(Root, id);
        Manifest = JsonNode.Parse($$"""
            {
              "id": "{{id}}", "title": "Demo", "summary": "s", "kind": "library", "skills": ["x"],
              "levels": [
                { "id": "junior", "timeEstimateMinutes": 30, "criteria": [ { "id": "a", "title": "A", "weight": 60, "severity": "blocker" }, { "id": "b", "title": "B", "weight": 40, "severity": "major" } ] },
                { "id": "mid", "timeEstimateMinutes": 60, "criteria": [ { "id": "a", "title": "A", "weight": 50, "severity": "blocker" }, { "id": "b", "title": "B", "weight": 30, "severity": "major" }, { "id": "c", "title": "C", "weight": 20, "severity": "minor" } ] }
              ]
            }
            """)!.AsObject();
        Write("statement/overview.md", "# Demo\nOverview.");
        Write("statement/junior.md", "## Junior part");
        Write("statement/mid.md", "## Mid part");
        Write("starter/common/src/Thing.cs", "namespace Demo; public class Thing { }");
        Write("starter/mid/src/MidThing.cs", "namespace Demo; public class MidThing { }");
        Write("tests/public/PublicTests.cs", TestClass("Demo.Tests", "PublicTests", "junior", ("One", "a"), ("Two", "b")));
        Write("tests/hidden/HiddenTests.cs", TestClass("Demo.Tests", "HiddenTests", "junior", ("Three", "a")));
        Write("tests/hidden/MidTests.cs", TestClass("Demo.Tests", "MidTests", "mid", ("Four", "c")));
        Write("tests/hidden/Helpers.cs", "namespace Demo.Tests; static class Helpers { }");
        Write("solutions/reference/src/Thing.cs", "namespace Demo; public class Thing { }");
        SaveManifest();
    }

    public string Root { get; }
    public string Folder { get; }
    public JsonObject Manifest { get; }

    public void SaveManifest() => Write("exercise.json", Manifest.ToJsonString());

    public void Write(string relative, string content)
    {
        var path = Path.Combine(Folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    public void Delete(string relative) => File.Delete(Path.Combine(Folder, relative));

    public Exercise Load() => ExerciseCatalog.LoadOne(Folder);

    public static string TestClass(string ns, string name, string? classLevel, params (string Method, string Criterion)[] tests)
    {
        var methods = string.Join("\n", tests.Select(t => $$"""
                [Fact(DisplayName = "{{t.Method}} works")]
                [Trait("criterion", "{{t.Criterion}}")]
                public void {{t.Method}}() { }
            """));
        var trait = classLevel is null ? "" : $"[Trait(\"level\", \"{classLevel}\")]";
        return $"using Xunit;\nnamespace {ns};\n{trait}\npublic class {name}\n{{\n{methods}\n}}\n";
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
