using System.Text.Json.Nodes;

namespace CodeLab.Exercises.Tests;

/// <summary>Service exercises: load scenarios in exercise.json and the two-project candidate workspace.</summary>
public sealed class ServiceExerciseTests
{
    static ExerciseFolder ServiceFolder()
    {
        var folder = new ExerciseFolder();
        folder.Manifest["kind"] = "service";
        folder.Manifest["packages"] = new JsonArray("StackExchange.Redis");
        folder.Manifest["service"] = JsonNode.Parse("""
            { "redis": true, "fakeHosts": ["provider"], "environment": { "REDIS_CONNECTION": "redis:6379", "PROVIDER_URL": "http://provider:9090" } }
            """);
        var mid = folder.Manifest["levels"]![1]!;
        mid["criteria"]!.AsArray().Add(JsonNode.Parse("""{ "id": "load", "title": "Load", "weight": 10, "severity": "major" }"""));
        mid["criteria"]![0]!["weight"] = 40;
        mid["load"] = JsonNode.Parse("""[ { "scenario": "steady", "criterion": "load", "thresholds": ["All.Latency.P99Ms < 100"] } ]""");
        folder.Write("load/steady.csx", "Scenario.Create(\"steady\", _ => Task.FromResult(Response.Ok()))");
        folder.SaveManifest();
        return folder;
    }

    [Fact]
    public void A_load_scenario_scores_like_a_test_of_its_level_and_is_never_compiled_with_the_tests()
    {
        using var folder = ServiceFolder();
        var exercise = folder.Load();

        exercise.Level("mid").Load.Single().Thresholds.ShouldBe(["All.Latency.P99Ms < 100"]);
        var test = exercise.Tests.TestsFor("mid").Single(t => t.Suite == LoadCheck.Suite);
        test.Id.ShouldBe("load.steady");
        test.Criterion.ShouldBe("load");
        exercise.Tests.TestsFor("junior").ShouldNotContain(t => t.Suite == LoadCheck.Suite);
        exercise.Tests.FilesFor("mid").ShouldNotContain(f => f.Suite == LoadCheck.Suite);
        TestIndex.LoadFor(exercise, "mid").Single().Scenario.ShouldBe("steady");
    }

    [Theory]
    [InlineData("scenario", "missing", "load/missing.csx is missing")]
    [InlineData("scenario", "Bad Name", "lower-case letters")]
    [InlineData("criterion", "nope", "criterion 'nope' is not a criterion of this level")]
    public void A_broken_load_entry_is_named_with_what_to_fix(string field, string value, string expected)
    {
        using var folder = ServiceFolder();
        folder.Manifest["levels"]![1]!["load"]![0]![field] = value;
        folder.SaveManifest();

        Should.Throw<ExerciseException>(() => folder.Load()).Message.ShouldContain(expected);
    }

    [Fact]
    public void Load_scenarios_are_refused_in_library_exercises()
    {
        using var folder = ServiceFolder();
        folder.Manifest["kind"] = "library";
        folder.Manifest.Remove("service");
        folder.SaveManifest();

        Should.Throw<ExerciseException>(() => folder.Load()).Message.ShouldContain("only for service exercises");
    }

    [Fact]
    public void A_service_workspace_is_a_service_project_and_a_tests_project_with_the_judge_sources_and_local_addresses()
    {
        using var folder = ServiceFolder();
        folder.Write("tests/public/Calls.cs", "namespace Demo.Tests; static class Calls { static object Client => Service.Client; static object Fake => World.PaymentProviderAsync(); }");
        var target = Path.Combine(folder.Root, "ws");

        var files = WorkspaceWriter.Write(folder.Load(), "junior", target);

        files.ShouldContain("Demo.slnx");
        files.ShouldContain("src/Demo.csproj");
        files.ShouldContain("src/Thing.cs");
        files.ShouldContain("tests/Demo.Tests.csproj");
        files.ShouldContain("tests/public/PublicTests.cs");
        files.ShouldContain("tests/Judge/Service.cs");
        files.ShouldContain("tests/Judge/JudgeEnvironment.cs");
        files.ShouldContain("tests/Judge/World.cs");
        files.ShouldContain("tests/Judge/PaymentProviderFake.cs");
        files.ShouldNotContain("Demo.csproj");
        File.ReadAllText(Path.Combine(target, "src/Demo.csproj")).ShouldContain("Microsoft.NET.Sdk.Web");
        File.ReadAllText(Path.Combine(target, "src/Demo.csproj")).ShouldContain("StackExchange.Redis");
        var launch = File.ReadAllText(Path.Combine(target, "src/Properties/launchSettings.json"));
        launch.ShouldContain("\"REDIS_CONNECTION\": \"localhost:6379\"");
        launch.ShouldContain("\"PROVIDER_URL\": \"http://localhost:9090\"");
        var defaults = File.ReadAllText(Path.Combine(target, "tests/LocalDefaults.cs"));
        defaults.ShouldContain("Default(\"CODELAB_REDIS\", \"localhost:6379\")");
        defaults.ShouldContain("Default(\"CODELAB_FAKES_PORT\", \"9090\")");
    }

    [Fact]
    public void A_service_workspace_has_one_command_that_runs_its_public_tests_with_the_addresses_it_picks()
    {
        using var folder = ServiceFolder();
        var target = Path.Combine(folder.Root, "ws");

        var files = WorkspaceWriter.Write(folder.Load(), "junior", target);

        files.ShouldContain("tests/LocalRun/LocalRun.csproj");
        files.ShouldContain("tests/LocalRun/Program.cs");
        files.ShouldContain("tests/LocalRun/LocalRedis.cs");
        File.ReadAllText(Path.Combine(target, "Demo.slnx")).ShouldContain("tests/LocalRun/LocalRun.csproj");
        // MSBuild refuses a project that is not well-formed XML (a "--" inside a comment, say).
        foreach (var project in files.Where(f => f.EndsWith(".csproj", StringComparison.Ordinal) || f.EndsWith(".slnx", StringComparison.Ordinal)))
            Should.NotThrow(() => System.Xml.Linq.XDocument.Load(Path.Combine(target, project)), project);
        // The tests project must not compile LocalRun's sources (nor its obj/ folder) into the tests.
        File.ReadAllText(Path.Combine(target, "tests/Demo.Tests.csproj")).ShouldContain("<DefaultItemExcludes>$(DefaultItemExcludes);LocalRun/**</DefaultItemExcludes>");
        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(target, "tests/LocalRun/service.json")))!;
        ((bool)settings["redis"]!).ShouldBeTrue();
        ((bool)settings["usesFakes"]!).ShouldBeTrue();
        ((string)settings["readyPath"]!).ShouldBe("/health");
        ((string)settings["environment"]!["REDIS_CONNECTION"]!).ShouldBe("{redis}");
        ((string)settings["environment"]!["PROVIDER_URL"]!).ShouldBe("http://{fakes}");

        var readme = File.ReadAllText(Path.Combine(target, "README.md"));
        readme.ShouldContain("`dotnet run --project tests/LocalRun`");
        readme.ShouldContain("redis-server");
        readme.ShouldContain("dotnet run --project src");
        foreach (var variable in (string[])["CODELAB_SERVICE_URLS", "CODELAB_REDIS", "CODELAB_FAKES_PORT"])
            readme.ShouldContain($"`{variable}`");
    }

    [Fact]
    public void A_workspace_carries_only_the_judge_sources_its_public_tests_use()
    {
        using var folder = ServiceFolder();
        folder.Manifest["service"] = JsonNode.Parse("""{ "redis": false, "environment": { "LIMIT": "5" } }""");
        folder.SaveManifest();
        folder.Write("tests/public/Calls.cs", "namespace Demo.Tests; static class Calls { static object Client => Service.Client; }");
        var target = Path.Combine(folder.Root, "ws");

        var files = WorkspaceWriter.Write(folder.Load(), "junior", target);

        files.ShouldContain("tests/Judge/Service.cs");
        files.ShouldContain("tests/Judge/JudgeEnvironment.cs", "Service reads its address through JudgeEnvironment");
        files.ShouldNotContain(f => f.Contains("Payment") || f.EndsWith("/World.cs") || f.EndsWith("/RedisProbe.cs") || f.EndsWith("/Control.cs"));
        var readme = File.ReadAllText(Path.Combine(target, "README.md"));
        readme.ShouldNotContain("CODELAB_FAKES_PORT");
        readme.ShouldNotContain("redis-server");
        File.ReadAllText(Path.Combine(target, "tests/LocalDefaults.cs")).ShouldNotContain("CODELAB_REDIS");
    }

    [Fact]
    public void A_library_workspace_has_no_local_runner()
    {
        using var folder = new ExerciseFolder();
        var files = WorkspaceWriter.Write(folder.Load(), "junior", Path.Combine(folder.Root, "ws"));
        files.ShouldNotContain(f => f.Contains("LocalRun") || f.Contains("Judge/"));
    }
}
