using System.Text.Json.Serialization;

namespace CodeLab.Compilation;

/// <summary>A compiler message with its position in the submission (1-based line and column).</summary>
public sealed record CompilerDiagnostic(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("severity")] string Severity,
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("line")] int Line,
    [property: JsonPropertyName("column")] int Column,
    [property: JsonPropertyName("message")] string Message)
{
    public bool IsError => Severity == "error";

    public override string ToString() => $"{File}({Line},{Column}): {Severity} {Id}: {Message}";
}
