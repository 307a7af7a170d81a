using System.Diagnostics;
using CodeLab.Compilation;
using CodeLab.Compilation.Policy;
using CodeLab.Exercises;
using Microsoft.CodeAnalysis;

namespace CodeLab.Grading;

/// <summary>What compilation produced, or why grading stops here.</summary>
public sealed record CompileStageResult
{
    /// <summary>Null when grading goes on to the sandbox; otherwise compile-error or rejected.</summary>
    public string? StopVerdict { get; init; }
    public string? StopReason { get; init; }
    public required IReadOnlyList<CompilerDiagnostic> Diagnostics { get; init; }
    public required IReadOnlyList<PolicyViolation> Violations { get; init; }
    public byte[]? CandidateAssembly { get; init; }
    public byte[]? CandidatePdb { get; init; }
    public byte[]? TestAssembly { get; init; }
    /// <summary>Tests whose file could not be compiled against the candidate's code, with the compiler's reason.</summary>
    public IReadOnlyDictionary<string, string> UncompilableTests { get; init; } = new Dictionary<string, string>();
    public TimeSpan Elapsed { get; init; }
}
