using System.Text.Json;
using CodeLab.Compilation.Policy;
using CodeLab.TestSupport;
using Microsoft.CodeAnalysis;

namespace CodeLab.Compilation.Tests;

/// <summary>
/// The red-team corpus of the policy: each folder under Hostile/ is one realistic attempt to reach files, the real
/// stdout, processes, native code or reflection through an API the old policy allowed, with its expected outcome in
/// expected.json beside it. Every case must be refused with the rule it names, at a line of the payload.
/// The Allowed/ files are the other half: ordinary solutions that must pass both policy passes untouched.
/// </summary>
public sealed class HostilePolicyTests
{
    static readonly string Corpus = Path.Combine(RepositoryPaths.Root, "tests", "CodeLab.Compilation.Tests", "Hostile");
    static readonly ReferenceAssemblies References = new(RepositoryPaths.RunnerBuild);

    sealed record Expected(string Outcome, string Rule, string Profile);

    public static TheoryData<string> Cases() => new(Directory.GetDirectories(Corpus).Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Fact]
    public void The_corpus_is_large_enough_to_mean_something() => Directory.GetDirectories(Corpus).Length.ShouldBeGreaterThanOrEqualTo(30);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Hostile_payload_is_refused_with_its_rule(string name)
    {
        var folder = Path.Combine(Corpus, name);
        var expected = JsonSerializer.Deserialize<Expected>(File.ReadAllText(Path.Combine(folder, "expected.json")), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        // "compiles": an attack on what the hidden tests bind to (a candidate's Assert or ShouldBe in a namespace the tests
        // search first). The policy does not judge it; the test-binding check does. Here it must only compile, so that the
        // case stays a real attack for that check.
        expected.Outcome.ShouldBeOneOf("rejected", "compiles");
        var violations = Violations(File.ReadAllText(Path.Combine(folder, "Payload.cs")), expected.Profile);
        if (expected.Outcome == "compiles") return;
        violations.ShouldContain(v => v.Rule == expected.Rule && v.File == "src/Payload.cs" && v.Line > 0,
            $"{name}: expected {expected.Rule}, got: {string.Join("; ", violations.Select(v => $"{v.Rule}@{v.File}:{v.Line} {v.Message}"))}");
    }

    [Fact]
    public void Ordinary_service_shapes_are_allowed()
    {
        var code = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "tests", "CodeLab.Compilation.Tests", "Allowed", "ServiceShapes.cs.txt"));
        var violations = Violations(code, "service");
        violations.ShouldBeEmpty(string.Join("\n", violations.Select(v => $"{v.Rule}@{v.Line} {v.Message}")));
    }

    [Fact]
    public void A_rejection_names_the_member_and_says_what_to_do_instead()
    {
        var violation = Violations(File.ReadAllText(Path.Combine(Corpus, "read-test-list-by-path", "Payload.cs")), "library").First(v => v.Line > 0);
        violation.Message.ShouldStartWith("System.IO.StreamReader.ctor takes a path (path)");
        violation.Message.ShouldContain("Keep state in memory");
        violation.Line.ShouldBe(5);
    }

    /// <summary>As the grader judges a submission: source pass, generators, emit, IL pass.</summary>
    static IReadOnlyList<PolicyViolation> Violations(string code, string profileName)
    {
        var service = profileName == "service";
        var aspNet = profileName != "library";
        var references = References.Framework("Microsoft.NETCore.App").ToList();
        if (aspNet) references.AddRange(References.Framework("Microsoft.AspNetCore.App"));
        var compilation = CSharpCompiler.Create(new CompileRequest
        {
            AssemblyName = "Submission",
            Sources = [new SourceFile("src/Payload.cs", code)],
            GeneratedSources = [CSharpCompiler.GlobalUsings(service ? CSharpCompiler.WebImplicitUsings : CSharpCompiler.LibraryImplicitUsings), CSharpCompiler.TargetFrameworkAttribute()],
            References = references,
            Executable = service,
        }, CancellationToken.None);
        var profile = PolicyProfile.For(service ? "service" : "library", aspNet ? ["Microsoft.AspNetCore.App"] : [], []);
        var source = PolicyChecker.Check(compilation, profile, CancellationToken.None);
        var generators = new[]
        {
            References.Generator("Microsoft.NETCore.App", "System.Text.RegularExpressions.Generator"),
            References.Generator("Microsoft.NETCore.App", "System.Text.Json.SourceGeneration"),
            aspNet ? References.Generator("Microsoft.AspNetCore.App", "Microsoft.Extensions.Logging.Generators") : null,
        }.OfType<ISourceGenerator>().ToList();
        var emitted = CSharpCompiler.Emit(CSharpCompiler.WithGenerators(compilation, generators, CancellationToken.None), withPdb: false, CancellationToken.None);
        emitted.Diagnostics.Where(d => d.IsError).ShouldBeEmpty("the payload must compile, or the case proves nothing: " + string.Join("; ", emitted.Diagnostics.Where(d => d.IsError).Select(d => $"{d.Line}: {d.Id} {d.Message}")));
        return [.. source, .. IlPolicyScanner.Scan(emitted.Assembly!, profile)];
    }
}
