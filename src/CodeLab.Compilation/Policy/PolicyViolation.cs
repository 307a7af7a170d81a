using System.Text.Json.Serialization;

namespace CodeLab.Compilation.Policy;

/// <summary>Something the submission uses that the sandbox refuses. Line is 1-based; 0 when found only in the emitted IL.</summary>
public sealed record PolicyViolation(
    [property: JsonPropertyName("rule")] string Rule,
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("line")] int Line,
    [property: JsonPropertyName("message")] string Message);

/// <summary>
/// A rule of the policy: an id a reviewer can look up, what it refuses (the same words as in the list the statement
/// and the workspace README show) and what to do instead.
/// </summary>
public sealed record PolicyRule(string Id, string Refuses, string Instead)
{
    /// <summary>The sentence a candidate reads after the refused API's name.</summary>
    public string Explanation => $"not allowed in a submission: {Refuses}. {Instead}";
}
