using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using CodeLab.Compilation;
using CodeLab.Exercises;
using CodeLab.Load;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CodeLab.Grading;

/// <summary>
/// Compiles an exercise's load scenarios (load/&lt;name&gt;.csx) as C# scripts against the judge's
/// libraries (CodeLab.Load, CodeLab.Judge) and the reference packs. The scripts are trusted repository content; each
/// is compiled once per content and kept for the life of the process.
/// </summary>
public sealed class LoadScripts(ReferenceAssemblies references)
{
    static readonly ConcurrentDictionary<string, byte[]> Cache = new(StringComparer.Ordinal);

    static readonly string[] Imports =
    [
        "System", "System.Collections.Concurrent", "System.Collections.Generic", "System.Linq", "System.Net", "System.Net.Http",
        "System.Net.Http.Json", "System.Text", "System.Text.Json", "System.Threading", "System.Threading.Tasks", "CodeLab.Load", "CodeLab.Judge",
    ];

    public IReadOnlyList<CompiledLoad> Compile(Exercise exercise, string level) =>
        TestIndex.LoadFor(exercise, level).Select(check =>
        {
            var code = File.ReadAllText(check.ScriptPath);
            var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(code)))[..16].ToLowerInvariant();
            var assembly = Cache.GetOrAdd(hash, _ => Emit(check, code));
            return new CompiledLoad(check, $"load-{check.Scenario}-{hash}.dll", assembly);
        }).ToList();

    byte[] Emit(LoadCheck check, string code)
    {
        // The scripting API's own compile path adds the grader's runtime assemblies; the judge runs on the reference
        // packs' surface, so the script compilation is made directly, as CSharpScript makes it, with those references.
        var tree = CSharpSyntaxTree.ParseText(code, CSharpParseOptions.Default.WithKind(SourceCodeKind.Script).WithLanguageVersion(LanguageVersion.Latest), check.ScriptPath);
        var compilation = CSharpCompilation.CreateScriptCompilation(
            $"CodeLab.LoadScript.{check.Scenario}",
            tree,
            references.Framework("Microsoft.NETCore.App")
                .Concat(references.Framework("Microsoft.AspNetCore.App"))
                .Concat(references.Libraries([CompileStage.JudgeLibrary, CompileStage.LoadLibrary])),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, scriptClassName: "Submission#0", usings: Imports, optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable),
            returnType: typeof(ScenarioProps));
        using var output = new MemoryStream();
        var emitted = compilation.Emit(output);
        var errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
            throw new ExerciseException($"load/{check.Scenario}.csx does not compile: {string.Join("; ", errors.Take(3).Select(e => e.ToString()))}");
        return output.ToArray();
    }
}
