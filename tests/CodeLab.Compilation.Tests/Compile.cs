using CodeLab.Compilation;
using CodeLab.Compilation.Policy;
using CodeLab.TestSupport;

namespace CodeLab.Compilation.Tests;

/// <summary>Compiles snippets the way the grader compiles a submission.</summary>
internal static class Compile
{
    static readonly ReferenceAssemblies References = new(RepositoryPaths.RunnerBuild);

    public static Microsoft.CodeAnalysis.CSharp.CSharpCompilation Library(string code, bool aspNet = false, string path = "src/Code.cs")
    {
        var references = References.Framework("Microsoft.NETCore.App").ToList();
        if (aspNet) references.AddRange(References.Framework("Microsoft.AspNetCore.App"));
        return CSharpCompiler.Create(new CompileRequest
        {
            AssemblyName = "Submission",
            Sources = [new SourceFile(path, code)],
            GeneratedSources = [CSharpCompiler.GlobalUsings(CSharpCompiler.LibraryImplicitUsings), CSharpCompiler.TargetFrameworkAttribute()],
            References = references,
        }, CancellationToken.None);
    }

    /// <summary>Both policy passes, as the grader runs them: source first, then the emitted IL (when the code compiles).</summary>
    public static IReadOnlyList<PolicyViolation> Violations(string code, bool aspNet = false, string kind = "library")
    {
        var profile = PolicyProfile.For(kind, aspNet ? ["Microsoft.AspNetCore.App"] : [], []);
        var compilation = Library(code, aspNet);
        var source = PolicyChecker.Check(compilation, profile, CancellationToken.None);
        var emitted = CSharpCompiler.Emit(compilation, withPdb: false, CancellationToken.None);
        return emitted.Succeeded ? [.. source, .. IlPolicyScanner.Scan(emitted.Assembly!, profile)] : source;
    }
}
