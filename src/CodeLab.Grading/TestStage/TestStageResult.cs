using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CodeLab.Exercises;
using CodeLab.Reports;
using CodeLab.Protocol;
using CodeLab.Sandbox;
using CodeLab.Sandbox.Engine;

namespace CodeLab.Grading;

/// <summary>The test stage's findings: an outcome for every known test, and how the sandbox runs went.</summary>
public sealed record TestStageResult(
    IReadOnlyDictionary<string, TestOutcome> Outcomes,
    SandboxReport Sandbox,
    IReadOnlyList<string> Notes,
    TimeSpan Elapsed)
{
    public IReadOnlyList<LoadReport> Load { get; init; } = [];
    public IReadOnlyList<CheckReport> Checks { get; init; } = [];
    /// <summary>Why the runs' story cannot be trusted (see <see cref="RunFold"/>); the grade is then an error, never a score.</summary>
    public string? Integrity { get; init; }
}
