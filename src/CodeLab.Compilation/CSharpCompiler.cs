using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;

namespace CodeLab.Compilation;

/// <summary>What to compile.</summary>
public sealed record CompileRequest
{
    public required string AssemblyName { get; init; }
    public required IReadOnlyList<SourceFile> Sources { get; init; }
    /// <summary>Sources CodeLab adds (global usings, assembly attributes); the policy does not judge them.</summary>
    public IReadOnlyList<SourceFile> GeneratedSources { get; init; } = [];
    public required IReadOnlyList<MetadataReference> References { get; init; }
    /// <summary>An application with an entry point (a service's Program.cs) rather than a library.</summary>
    public bool Executable { get; init; }
}

/// <summary>The result of emitting a compilation.</summary>
public sealed record EmitOutput
{
    public required bool Succeeded { get; init; }
    public required IReadOnlyList<CompilerDiagnostic> Diagnostics { get; init; }
    public byte[]? Assembly { get; init; }
    public byte[]? Pdb { get; init; }
    public TimeSpan Elapsed { get; init; }
}

/// <summary>
/// Roslyn in process, with the settings of the candidate's workspace project (latest C#, nullable enabled,
/// implicit usings), so code that builds there builds here. Never MSBuild: a project file can run arbitrary
/// build tasks, so candidate project files are ignored.
/// </summary>
public static class CSharpCompiler
{
    public const string GeneratedPath = "<codelab-generated>";

    static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.None);

    /// <summary>The global usings of Microsoft.NET.Sdk's ImplicitUsings.</summary>
    public static readonly IReadOnlyList<string> LibraryImplicitUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];

    /// <summary>The global usings of Microsoft.NET.Sdk.Web's ImplicitUsings.</summary>
    public static readonly IReadOnlyList<string> WebImplicitUsings =
    [
        .. LibraryImplicitUsings, "System.Net.Http.Json", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Routing", "Microsoft.Extensions.Configuration",
        "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging",
    ];

    public static SourceFile GlobalUsings(IEnumerable<string> namespaces) =>
        new(GeneratedPath, string.Concat(namespaces.Select(n => $"global using global::{n};\n")));

    public static SourceFile AssemblyAttributes(params string[] attributes) =>
        new(GeneratedPath, string.Concat(attributes.Select(a => $"[assembly: {a}]\n")));

    public static SourceFile TargetFrameworkAttribute() =>
        AssemblyAttributes($"global::System.Runtime.Versioning.TargetFramework(\".NETCoreApp,Version=v{Environment.Version.Major}.0\")");

    public static CSharpCompilation Create(CompileRequest request, CancellationToken cancellationToken)
    {
        var trees = request.Sources.Concat(request.GeneratedSources)
            .Select(source => CSharpSyntaxTree.ParseText(
                // UTF-8 with a checksum, or emitting a PDB fails (CS8055).
                SourceText.From(source.Text, Encoding.UTF8, SourceHashAlgorithm.Sha256),
                ParseOptions, source.Path, cancellationToken))
            .ToList();
        var options = new CSharpCompilationOptions(
            request.Executable ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
            optimizationLevel: OptimizationLevel.Release,
            nullableContextOptions: NullableContextOptions.Enable,
            // Unsafe code does not compile; the policy, which runs before emit, names it first with a clear message.
            allowUnsafe: false,
            deterministic: true,
            concurrentBuild: true,
            // As the .NET SDK does by default: "assuming assembly reference ... matches" is noise for packages built
            // against older framework versions (StackExchange.Redis 2.x against netstandard), not something a candidate can act on.
            specificDiagnosticOptions: new Dictionary<string, ReportDiagnostic> { ["CS1701"] = ReportDiagnostic.Suppress, ["CS1702"] = ReportDiagnostic.Suppress });
        return CSharpCompilation.Create(request.AssemblyName, trees, request.References, options);
    }

    /// <summary>
    /// Runs source generators as the SDK would (their output is not the candidate's code: the policy judges the
    /// compilation before this, and diagnostics in generated files are not the candidate's either).
    /// </summary>
    public static CSharpCompilation WithGenerators(CSharpCompilation compilation, IReadOnlyList<ISourceGenerator> generators, CancellationToken cancellationToken)
    {
        if (generators.Count == 0) return compilation;
        var driver = CSharpGeneratorDriver.Create(generators, parseOptions: ParseOptions);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var updated, out _, cancellationToken);
        return (CSharpCompilation)updated;
    }

    /// <summary>Syntax errors only: there is no point judging or binding code that does not parse.</summary>
    public static IReadOnlyList<CompilerDiagnostic> ParseErrors(CSharpCompilation compilation, CancellationToken cancellationToken) =>
        Map(compilation.SyntaxTrees.SelectMany(t => t.GetDiagnostics(cancellationToken)).Where(d => d.Severity == DiagnosticSeverity.Error));

    public static EmitOutput Emit(CSharpCompilation compilation, bool withPdb, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var peStream = new MemoryStream();
        using var pdbStream = withPdb ? new MemoryStream() : null;
        var result = compilation.Emit(
            peStream,
            pdbStream,
            options: withPdb ? new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb) : new EmitOptions(),
            cancellationToken: cancellationToken);
        return new EmitOutput
        {
            Succeeded = result.Success,
            Diagnostics = Map(result.Diagnostics),
            Assembly = result.Success ? peStream.ToArray() : null,
            Pdb = result.Success ? pdbStream?.ToArray() : null,
            Elapsed = Stopwatch.GetElapsedTime(started),
        };
    }

    public static IReadOnlyList<CompilerDiagnostic> Map(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics
            .Where(d => d.Severity is DiagnosticSeverity.Error or DiagnosticSeverity.Warning)
            .Select(d =>
            {
                // Unmapped: a #line directive in candidate code must not move a message onto another file.
                var span = d.Location.GetLineSpan();
                return new CompilerDiagnostic(
                    d.Id,
                    d.Severity == DiagnosticSeverity.Error ? "error" : "warning",
                    span.IsValid ? span.Path : "",
                    span.IsValid ? span.StartLinePosition.Line + 1 : 0,
                    span.IsValid ? span.StartLinePosition.Character + 1 : 0,
                    d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
            })
            .OrderBy(d => d.IsError ? 0 : 1).ThenBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line).ThenBy(d => d.Column)
            .ToImmutableArray();
}
