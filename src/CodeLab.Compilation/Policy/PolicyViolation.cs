using System.Text.Json.Serialization;

namespace CodeLab.Compilation.Policy;

/// <summary>Something the submission uses that the sandbox refuses. Line is 1-based; 0 when found only in the emitted IL.</summary>
public sealed record PolicyViolation(
    [property: JsonPropertyName("rule")] string Rule,
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("line")] int Line,
    [property: JsonPropertyName("message")] string Message);

/// <summary>A rule of the policy: an id a reviewer can look up, and a plain explanation for the candidate.</summary>
public sealed record PolicyRule(string Id, string Explanation);
