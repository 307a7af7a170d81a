using System.Diagnostics;
using CodeLab.Compilation;
using CodeLab.Compilation.Policy;
using CodeLab.Exercises;
using Microsoft.CodeAnalysis;

namespace CodeLab.Grading;

/// <summary>
/// Stages 2 and 3: the policy judges the candidate's code, then Roslyn compiles it and the grader's own copy of
/// the public and hidden tests against it. A test file that cannot compile against the candidate's code (a
/// renamed member, a missing mid-level type) is set aside with its reason, so the rest still runs and scores.
/// </summary>
public sealed class CompileStage(ReferenceAssemblies references)
{
    public const string CandidateAssemblyName = "Submission";
    public const string TestAssemblyName = "CodeLab.Tests";
    static readonly string[] TestLibraries =
        ["xunit.v3.core", "xunit.v3.common", "xunit.v3.assert", "Shouldly", "Microsoft.Extensions.TimeProvider.Testing", "Microsoft.AspNetCore.TestHost"];
    /// <summary>What hidden tests of service exercises use in the judge container (the service's address, fakes).</summary>
    public const string JudgeLibrary = "CodeLab.Judge";
    /// <summary>The load engine, for hidden tests that release bursts or measure under load in the judge container.</summary>
    public const string LoadLibrary = "CodeLab.Load";
    static readonly TimeSpan CompileTimeout = TimeSpan.FromSeconds(60);

    /// <summary>What one grade's compile may hold beyond what the grader held before it: far below the machine's memory.</summary>
    const long CompileMemoryBudget = 1024L * 1024 * 1024;

    /// <summary>Service levels' compiled tests, reused by this stage's next grades of the same level.</summary>
    readonly CompiledServiceTests serviceTests = new();

    /// <summary>Never throws for anything a submission contains: a compiler failure, a time-out or a memory blow-up is a compile-error verdict.</summary>
    public CompileStageResult Run(Exercise exercise, string level, Submission submission, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return CompileGuard.Run(ct => RunCore(exercise, level, submission, ct), CompileTimeout, CompileMemoryBudget, cancellationToken)
                with { Elapsed = Stopwatch.GetElapsedTime(started) };
        }
        catch (CompileStoppedException stopped)
        {
            return Stop(Reports.Verdicts.CompileError, stopped.Message, [], []) with { Elapsed = Stopwatch.GetElapsedTime(started) };
        }
    }

    CompileStageResult RunCore(Exercise exercise, string level, Submission submission, CancellationToken ct)
    {
        var web = exercise.Kind == "service";
        var usings = web ? CSharpCompiler.WebImplicitUsings : CSharpCompiler.LibraryImplicitUsings;
        var candidateReferences = CandidateReferences(exercise);
        foreach (var file in submission.Files) CompileGuard.CheckBrackets(file.Path, file.Text);
        var candidate = CSharpCompiler.Create(SolutionRequest(submission, usings, candidateReferences, web), ct);

        foreach (var tree in candidate.SyntaxTrees.Where(t => t.FilePath != CSharpCompiler.GeneratedPath)) CompileGuard.CheckDepth(tree, ct);
        var parseErrors = CSharpCompiler.ParseErrors(candidate, ct);
        if (parseErrors.Count > 0)
            return Stop(Reports.Verdicts.CompileError, Describe(parseErrors), parseErrors, []);

        var profile = PolicyProfile.For(exercise.Kind, exercise.Frameworks, exercise.Packages);
        var violations = PolicyChecker.Check(candidate, profile, ct);
        if (violations.Count > 0)
            return Stop(Reports.Verdicts.Rejected, Describe(violations), [], violations);

        var emitted = CSharpCompiler.Emit(CSharpCompiler.WithGenerators(candidate, Generators(submission), ct), withPdb: true, ct);
        var candidateDiagnostics = emitted.Diagnostics.Where(d => d.File != CSharpCompiler.GeneratedPath).ToList();
        if (!emitted.Succeeded)
            return Stop(Reports.Verdicts.CompileError, Describe(candidateDiagnostics.Where(d => d.IsError).ToList()), candidateDiagnostics, []);

        var ilViolations = IlPolicyScanner.Scan(emitted.Assembly!, profile);
        if (ilViolations.Count > 0)
            return Stop(Reports.Verdicts.Rejected, Describe(ilViolations), candidateDiagnostics, ilViolations);

        return CompileTests(exercise, level, usings, candidateReferences, emitted, candidateDiagnostics, ct);
    }

    /// <summary>
    /// The SDK's source generators a submission needs ([GeneratedRegex], [JsonSerializable], [LoggerMessage],
    /// options validation), picked by a glance at the code so that a submission without them pays nothing.
    /// </summary>
    IReadOnlyList<ISourceGenerator> Generators(Submission submission)
    {
        var text = string.Concat(submission.Files.Select(f => f.Text));
        var wanted = new List<(string Framework, string Assembly)>();
        if (text.Contains("GeneratedRegex", StringComparison.Ordinal)) wanted.Add(("Microsoft.NETCore.App", "System.Text.RegularExpressions.Generator"));
        if (text.Contains("JsonSerializable", StringComparison.Ordinal)) wanted.Add(("Microsoft.NETCore.App", "System.Text.Json.SourceGeneration"));
        if (text.Contains("LoggerMessage", StringComparison.Ordinal)) wanted.Add(("Microsoft.AspNetCore.App", "Microsoft.Extensions.Logging.Generators"));
        if (text.Contains("OptionsValidator", StringComparison.Ordinal)) wanted.Add(("Microsoft.AspNetCore.App", "Microsoft.Extensions.Options.SourceGeneration"));
        return wanted.Select(w => references.Generator(w.Framework, w.Assembly)).OfType<ISourceGenerator>().ToList();
    }

    CompileStageResult CompileTests(Exercise exercise, string level, IReadOnlyList<string> usings, IReadOnlyList<MetadataReference> candidateReferences,
        EmitOutput candidate, List<CompilerDiagnostic> diagnostics, CancellationToken ct)
    {
        // Service exercises are judged over HTTP from the judge container: their tests see the judge's library,
        // never the candidate's assembly (so no candidate code is ever loaded on the trusted side).
        var service = exercise.Kind == "service";
        var testReferences = candidateReferences
            .Concat(exercise.Frameworks.Contains("Microsoft.AspNetCore.App") || service ? [] : references.Framework("Microsoft.AspNetCore.App"))
            .Concat(references.Libraries(TestLibraries))
            .Concat(service ? references.Libraries([JudgeLibrary, LoadLibrary]) : [MetadataReference.CreateFromImage(candidate.Assembly!)])
            .ToList();
        var files = exercise.Tests.FilesFor(level).ToList();
        var uncompilable = new Dictionary<string, string>(StringComparer.Ordinal);
        while (true)
        {
            var labels = files.ToDictionary(Label, f => f);
            var sources = files.Select(f => new SourceFile(Label(f), File.ReadAllText(f.FullPath))).ToList();
            // A service level's tests never see the candidate's code: the same sources compile to the same assembly.
            var key = service ? CompiledServiceTests.KeyOf(exercise, level, sources) : null;
            if (key is not null && serviceTests.Find(key) is { } reused)
                return Compiled(diagnostics, candidate, reused, uncompilable);
            var compilation = CSharpCompiler.Create(new CompileRequest
            {
                AssemblyName = TestAssemblyName,
                Sources = sources,
                GeneratedSources = [CSharpCompiler.GlobalUsings(usings), CSharpCompiler.TargetFrameworkAttribute(), TestOrder.Source],
                References = testReferences,
            }, ct);
            // No PDB: hidden test sources and their paths stay out of the sandbox and out of stack traces.
            var emitted = CSharpCompiler.Emit(compilation, withPdb: false, ct);
            if (emitted.Succeeded && !service)
            {
                // A test file that binds a framework name to the candidate's code is set aside like one that does not compile.
                var meant = compilation.ReplaceReference(testReferences[^1], ReferenceSolution(exercise, level, usings, candidateReferences, ct));
                var captures = TestBindingCheck.Compare(meant, compilation, CandidateAssemblyName, ct);
                foreach (var capture in captures)
                {
                    var file = labels[capture.File];
                    foreach (var test in file.Tests)
                        uncompilable[test.Id] = $"Not run: against your code this test's {capture.Meant} binds to {capture.Bound}. Rename what your code declares so the tests reach the framework they were written against.";
                    files.Remove(file);
                }
                if (captures.Count > 0)
                {
                    if (files.All(f => f.Tests.Count == 0))
                        return Stop(Reports.Verdicts.CompileError, "Your code declares names that capture the tests' own calls, so no test can run: " + captures[0].Meant + " binds to " + captures[0].Bound + ".", diagnostics, [])
                            with { UncompilableTests = uncompilable };
                    continue;
                }
            }
            if (emitted.Succeeded)
            {
                if (key is not null) serviceTests.Keep(key, emitted.Assembly!);
                return Compiled(diagnostics, candidate, emitted.Assembly!, uncompilable);
            }

            var errors = emitted.Diagnostics.Where(d => d.IsError).ToList();
            var failing = errors.Select(e => labels.GetValueOrDefault(e.File)).Distinct().ToList();
            diagnostics.AddRange(errors.Select(Sanitize));
            if (failing.Any(f => f is null || f.Tests.Count == 0))
            {
                // A shared helper (or something outside any file) fails: no test can be compiled.
                return Stop(Reports.Verdicts.CompileError,
                    "Your code compiles, but the tests cannot be compiled against it: " + Describe(errors.Select(Sanitize).ToList()),
                    diagnostics, []);
            }
            foreach (var file in failing)
            {
                var reason = errors.First(e => e.File == Label(file!)).Message;
                foreach (var test in file!.Tests) uncompilable[test.Id] = $"Could not be compiled against your code: {reason}";
                files.Remove(file);
            }
            if (files.All(f => f.Tests.Count == 0))
            {
                return Stop(Reports.Verdicts.CompileError,
                    "Your code compiles, but none of the tests can be compiled against it: " + Describe(errors.Select(Sanitize).ToList()),
                    diagnostics, []) with { UncompilableTests = uncompilable };
            }
        }
    }

    static CompileStageResult Compiled(List<CompilerDiagnostic> diagnostics, EmitOutput candidate, byte[] tests, Dictionary<string, string> uncompilable) => new()
    {
        Diagnostics = diagnostics,
        Violations = [],
        CandidateAssembly = candidate.Assembly,
        CandidatePdb = candidate.Pdb,
        TestAssembly = tests,
        UncompilableTests = uncompilable,
    };

    /// <summary>How a solution (the candidate's, or the reference the tests were written against) is compiled.</summary>
    static CompileRequest SolutionRequest(Submission solution, IReadOnlyList<string> usings, IReadOnlyList<MetadataReference> references, bool executable) => new()
    {
        AssemblyName = CandidateAssemblyName,
        Sources = solution.Files,
        GeneratedSources =
        [
            CSharpCompiler.GlobalUsings(usings),
            CSharpCompiler.TargetFrameworkAttribute(),
            // Tests see the candidate's internal types, as in the single-project workspace.
            CSharpCompiler.AssemblyAttributes($"global::System.Runtime.CompilerServices.InternalsVisibleTo(\"{TestAssemblyName}\")"),
        ],
        References = references,
        Executable = executable,
    };

    readonly System.Collections.Concurrent.ConcurrentDictionary<(string Folder, string Level), Lazy<MetadataReference>> referenceSolutions = new();

    /// <summary>The exercise's reference solution for a level, compiled once per process: what the tests were written against.</summary>
    MetadataReference ReferenceSolution(Exercise exercise, string level, IReadOnlyList<string> usings, IReadOnlyList<MetadataReference> candidateReferences, CancellationToken ct) =>
        referenceSolutions.GetOrAdd((exercise.SolutionsFolder, level), _ => new Lazy<MetadataReference>(() =>
        {
            var reference = SubmissionReader.Read(Path.Combine(exercise.SolutionsFolder, "reference"));
            var compilation = CSharpCompiler.Create(SolutionRequest(reference, usings, candidateReferences, executable: false), ct);
            var emitted = CSharpCompiler.Emit(CSharpCompiler.WithGenerators(compilation, Generators(reference), ct), withPdb: false, ct);
            if (!emitted.Succeeded)
                throw new InvalidOperationException($"the exercise's reference solution does not compile ({Describe(emitted.Diagnostics.Where(d => d.IsError).ToList())}): this is a defect of the exercise, not of the submission");
            return MetadataReference.CreateFromImage(emitted.Assembly!);
        })).Value;

    IReadOnlyList<MetadataReference> CandidateReferences(Exercise exercise)
    {
        var list = references.Framework("Microsoft.NETCore.App").ToList();
        if (exercise.Kind == "service" || exercise.Frameworks.Contains("Microsoft.AspNetCore.App"))
            list.AddRange(references.Framework("Microsoft.AspNetCore.App"));
        list.AddRange(references.Libraries(exercise.Packages));
        return list;
    }

    /// <summary>Public test files keep their workspace path (the candidate has them); hidden ones are never named.</summary>
    static string Label(TestFile file) => file.Suite == TestIndex.Public ? $"tests/public/{file.RelativePath}" : $"hidden/{file.RelativePath}";

    static CompilerDiagnostic Sanitize(CompilerDiagnostic d) =>
        d.File.StartsWith("hidden/", StringComparison.Ordinal) ? d with { File = "(hidden tests)", Line = 0, Column = 0 } : d;

    static CompileStageResult Stop(string verdict, string reason, IReadOnlyList<CompilerDiagnostic> diagnostics, IReadOnlyList<PolicyViolation> violations) =>
        new() { StopVerdict = verdict, StopReason = reason, Diagnostics = diagnostics, Violations = violations };

    static string Describe(IReadOnlyList<CompilerDiagnostic> errors)
    {
        var first = errors.FirstOrDefault();
        if (first is null) return "The compiler reported no details.";
        var where = first.Line > 0 ? $"{first.File}:{first.Line}" : first.File;
        return $"{errors.Count} error{(errors.Count == 1 ? "" : "s")}, first at {where}: {first.Id} {first.Message}";
    }

    static string Describe(IReadOnlyList<PolicyViolation> violations)
    {
        var first = violations[0];
        var where = first.Line > 0 ? $" ({first.File}:{first.Line})" : "";
        return $"Refused before running: {first.Message}{where}" + (violations.Count > 1 ? $" and {violations.Count - 1} more." : "");
    }
}
