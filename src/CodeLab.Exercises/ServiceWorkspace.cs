using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CodeLab.Exercises;

/// <summary>
/// The extra files of a service exercise's workspace: the service is one project (src/), the public tests another
/// (tests/), and a solution ties them together so `dotnet build` and `dotnet test` work from the folder. The tests
/// reach the service over HTTP exactly as in the grader's judge container. `dotnet run --project tests/LocalRun`
/// starts Redis, the service and the tests on ports the system picks; by hand, the addresses default to
/// localhost (service on :8080, Redis on :6379, fakes on :9090: tests/LocalDefaults.cs and launchSettings.json).
/// </summary>
internal static partial class ServiceWorkspace
{
    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    const int LocalServicePort = 8080;
    const int LocalRedisPort = 6379;
    /// <summary>Where the judge's fakes listen in a grade, and on a candidate's machine by default.</summary>
    const int FakesPort = 9090;
    const string LocalRunFolder = "tests/LocalRun";

    public static IEnumerable<(string Name, string Content)> Files(Exercise exercise, string level)
    {
        var name = Name(exercise);
        yield return ($"{name}.slnx", $"""
            <Solution>
              <Project Path="src/{name}.csproj" />
              <Project Path="tests/{name}.Tests.csproj" />
              <Project Path="{LocalRunFolder}/LocalRun.csproj" />
            </Solution>

            """);
        yield return ($"src/{name}.csproj", ServiceProject(exercise));
        yield return ($"tests/{name}.Tests.csproj", TestsProject(name));
        yield return ("src/Properties/launchSettings.json", LaunchSettings(exercise));
        yield return ("tests/LocalDefaults.cs", LocalDefaults(exercise));
        yield return ($"{LocalRunFolder}/LocalRun.csproj", LocalRunProject());
        yield return ($"{LocalRunFolder}/service.json", LocalRunSettings(exercise));
        var publicTests = exercise.Tests.FilesFor(level).Where(f => f.Suite == TestIndex.Public).Select(f => File.ReadAllText(f.FullPath));
        foreach (var source in JudgeSourcesUsedBy(publicTests)) yield return source;
    }

    /// <summary>What the README adds for a service: how to run it and its tests on this machine.</summary>
    public static string HowToRun(Exercise exercise)
    {
        var redis = exercise.Service?.Redis == true;
        var fakes = exercise.Service?.FakeHosts.Count > 0;
        var text = new StringBuilder();
        text.AppendLine("- The service is `src/` (your code); the public tests are `tests/` and call it over HTTP, as the grader does.");
        text.AppendLine("- **One command runs them:** `dotnet run --project tests/LocalRun`" + (redis ? " starts Redis (when `redis-server` is installed)," : "")
                        + " starts your service on a free port, waits for `GET " + (exercise.Service?.ReadyPath ?? "/health") + "`, runs the public tests against it");
        text.AppendLine("  and stops what it started. Arguments after `--` go to `dotnet test` (`dotnet run --project tests/LocalRun -- --filter Name`);");
        text.AppendLine("  your service's output is in `service.log`." + (redis
            ? " Without `redis-server`, install Redis 7 (Debian/Ubuntu `sudo apt-get install redis-server`, macOS `brew install redis`,"
              + "\n  Windows: inside WSL), or start any Redis and set `CODELAB_REDIS=host:port`: the command then uses that one."
            : ""));
        text.AppendLine("- By hand: " + (redis ? $"start Redis on localhost:{LocalRedisPort}, then " : "")
                        + $"`dotnet run --project src` (the `local` profile of `src/Properties/launchSettings.json` listens on http://localhost:{LocalServicePort}");
        text.AppendLine("  and sets the service's environment variables for this machine), and `dotnet test tests` in another terminal.");
        text.AppendLine("- What the tests read, all optional (the defaults are in `tests/LocalDefaults.cs`):");
        text.AppendLine($"  - `CODELAB_SERVICE_URLS`: your service's address, or several separated by commas (default `http://localhost:{LocalServicePort}`);");
        if (redis)
            text.AppendLine($"  - `CODELAB_REDIS`: Redis as `host:port` (default `localhost:{LocalRedisPort}`), and `CODELAB_REDIS_PASSWORD` when the tests should read it as a user `judge`;");
        if (fakes)
            text.AppendLine($"  - `CODELAB_FAKES_PORT`: the port on which the tests start the test doubles of {string.Join(", ", exercise.Service!.FakeHosts.Select(h => $"`{h}`"))} (default `{FakesPort}`);"
                            + "\n    point your service's configuration at it (the one command does).");
        text.AppendLine($"- `dotnet build {Name(exercise)}.slnx` builds everything.");
        return text.ToString();
    }

    static string Name(Exercise exercise) => WorkspaceProject.FileName(exercise)[..^".csproj".Length];

    static string ServiceProject(Exercise exercise)
    {
        var xml = new StringBuilder();
        xml.AppendLine("<Project Sdk=\"Microsoft.NET.Sdk.Web\">");
        xml.AppendLine("  <!-- Generated by CodeLab. The grader compiles your .cs files (not this file) with the same settings. -->");
        xml.AppendLine("  <PropertyGroup>");
        xml.AppendLine($"    <TargetFramework>net{Environment.Version.Major}.0</TargetFramework>");
        xml.AppendLine("    <Nullable>enable</Nullable>");
        xml.AppendLine("    <ImplicitUsings>enable</ImplicitUsings>");
        xml.AppendLine("  </PropertyGroup>");
        xml.AppendLine("  <ItemGroup>");
        foreach (var package in exercise.Packages)
            xml.AppendLine($"    <PackageReference Include=\"{package}\" Version=\"{WorkspaceProject.KnownPackages[package]}\" />");
        xml.AppendLine("  </ItemGroup>");
        xml.AppendLine("</Project>");
        return xml.ToString();
    }

    static string TestsProject(string name)
    {
        var xml = new StringBuilder();
        xml.AppendLine("<Project Sdk=\"Microsoft.NET.Sdk\">");
        xml.AppendLine("  <!-- Generated by CodeLab: the public tests and the judge's client and test doubles (Judge/). -->");
        xml.AppendLine("  <PropertyGroup>");
        xml.AppendLine($"    <TargetFramework>net{Environment.Version.Major}.0</TargetFramework>");
        xml.AppendLine("    <OutputType>Exe</OutputType>");
        xml.AppendLine("    <Nullable>enable</Nullable>");
        xml.AppendLine("    <ImplicitUsings>enable</ImplicitUsings>");
        xml.AppendLine("    <GenerateProgramFile>false</GenerateProgramFile>");
        xml.AppendLine("    <IsTestProject>true</IsTestProject>");
        xml.AppendLine($"    <RootNamespace>{name}.Tests</RootNamespace>");
        xml.AppendLine("    <!-- LocalRun is a project of its own (the command that starts everything and runs these tests). -->");
        xml.AppendLine("    <DefaultItemExcludes>$(DefaultItemExcludes);LocalRun/**</DefaultItemExcludes>");
        xml.AppendLine("  </PropertyGroup>");
        xml.AppendLine("  <ItemGroup>");
        xml.AppendLine("    <FrameworkReference Include=\"Microsoft.AspNetCore.App\" />");
        foreach (var (id, version) in WorkspaceProject.TestPackages)
            xml.AppendLine($"    <PackageReference Include=\"{id}\" Version=\"{version}\" />");
        xml.AppendLine("  </ItemGroup>");
        xml.AppendLine("</Project>");
        return xml.ToString();
    }

    static string LocalRunProject() => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <!-- Generated by CodeLab: running this project (see README.md) starts what the public tests need and runs them. -->
          <PropertyGroup>
            <TargetFramework>net{Environment.Version.Major}.0</TargetFramework>
            <OutputType>Exe</OutputType>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
          </PropertyGroup>
        </Project>

        """;

    static string LaunchSettings(Exercise exercise)
    {
        var environment = new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" };
        foreach (var (key, value) in exercise.Service?.Environment ?? new Dictionary<string, string>())
            environment[key] = Localise(exercise, value, $"localhost:{LocalRedisPort}", $"localhost:{FakesPort}");
        var variables = string.Join(",\n", environment.Select(kv => $"        \"{kv.Key}\": {JsonSerializer.Serialize(kv.Value)}"));
        return $$"""
            {
              "profiles": {
                "local": {
                  "commandName": "Project",
                  "applicationUrl": "http://localhost:{{LocalServicePort}}",
                  "environmentVariables": {
            {{variables}}
                  }
                }
              }
            }

            """;
    }

    /// <summary>LocalRun's settings: the service's variables with {redis} and {fakes} for the addresses it picks.</summary>
    static string LocalRunSettings(Exercise exercise)
    {
        var service = exercise.Service;
        var settings = new
        {
            redis = service?.Redis == true,
            usesFakes = service?.FakeHosts.Count > 0,
            readyPath = service?.ReadyPath ?? "/health",
            environment = (service?.Environment ?? new Dictionary<string, string>())
                .ToDictionary(kv => kv.Key, kv => Localise(exercise, kv.Value, "{redis}", "{fakes}")),
        };
        return JsonSerializer.Serialize(settings, Indented) + "\n";
    }

    /// <summary>The grade's addresses (redis:6379, http://provider:9090) as this machine's.</summary>
    static string Localise(Exercise exercise, string value, string redis, string fakes)
    {
        var local = value.Replace($"redis:{LocalRedisPort}", redis, StringComparison.Ordinal);
        foreach (var host in exercise.Service?.FakeHosts ?? [])
            local = local.Replace($"//{host}:{FakesPort}", "//" + fakes, StringComparison.Ordinal);
        return local;
    }

    static string LocalDefaults(Exercise exercise)
    {
        var defaults = new List<string> { $"Default(\"CODELAB_SERVICE_URLS\", \"http://localhost:{LocalServicePort}\");" };
        if (exercise.Service?.Redis == true) defaults.Add($"Default(\"CODELAB_REDIS\", \"localhost:{LocalRedisPort}\");");
        if (exercise.Service?.FakeHosts.Count > 0) defaults.Add($"Default(\"CODELAB_FAKES_PORT\", \"{FakesPort}\");");
        return $$"""
            using System.Runtime.CompilerServices;

            // Where the tests look for the service, Redis and the test doubles when you run `dotnet test` by hand. In the grader's judge
            // container, and under `dotnet run --project tests/LocalRun`, these variables are already set and nothing here changes them.
            static class LocalDefaults
            {
                [ModuleInitializer]
                internal static void Apply()
                {
            {{string.Join("\n", defaults.Select(d => "        " + d))}}
                }

                static void Default(string name, string value)
                {
                    if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name))) Environment.SetEnvironmentVariable(name, value);
                }
            }

            """;
    }

    /// <summary>
    /// The judge's sources the public tests need: the files declaring a type they name, then the files those name, and
    /// so on. A workspace carries nothing its exercise does not use (no payment-provider fake for a rate limiter).
    /// </summary>
    static IEnumerable<(string Name, string Content)> JudgeSourcesUsedBy(IEnumerable<string> publicTests)
    {
        var all = JudgeSources().Select(s => (s.Name, s.Content, Declares: DeclaredType().Matches(s.Content).Select(m => m.Groups[1].Value).ToHashSet())).ToList();
        var named = new HashSet<string>(publicTests.SelectMany(Identifiers), StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var source in all.Where(s => !taken.Contains(s.Name) && s.Declares.Overlaps(named)))
            {
                taken.Add(source.Name);
                named.UnionWith(Identifiers(source.Content));
                grew = true;
            }
        }
        return all.Where(s => taken.Contains(s.Name)).Select(s => ($"tests/Judge/{s.Name}", s.Content));
    }

    static IEnumerable<string> Identifiers(string source) => Identifier().Matches(source).Select(m => m.Value);

    [GeneratedRegex(@"\b(?:class|record|struct|interface|enum)\s+([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex DeclaredType();

    [GeneratedRegex(@"[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex Identifier();

    static IEnumerable<(string Name, string Content)> JudgeSources()
    {
        var assembly = typeof(ServiceWorkspace).Assembly;
        const string prefix = "JudgeSources/";
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            yield return (resource[prefix.Length..], reader.ReadToEnd());
        }
    }
}
