using System.Text.Json.Serialization;

namespace CodeLab.Protocol;

/// <summary>
/// One line of the runner's private channel. The runner writes these to the container's real stdout,
/// each prefixed with <see cref="RunnerChannel.Prefix"/> and the per-run secret, so that output printed
/// by candidate code can never be mistaken for a result. <see cref="Event"/> is one of <see cref="RunnerEvents"/>.
/// </summary>
public sealed record RunnerEvent
{
    /// <summary>One of <see cref="RunnerEvents"/>.</summary>
    [JsonPropertyName("e")] public required string Event { get; init; }

    /// <summary>Test class full name (namespace + nested names), as xUnit reports it.</summary>
    [JsonPropertyName("cls")] public string? Class { get; init; }

    [JsonPropertyName("m")] public string? Method { get; init; }

    /// <summary>Display name of the test case (a theory has one per data row).</summary>
    [JsonPropertyName("case")] public string? Case { get; init; }

    /// <summary>pass | fail | skip | notrun (for result events).</summary>
    [JsonPropertyName("status")] public string? Status { get; init; }

    [JsonPropertyName("ms")] public double? DurationMs { get; init; }

    [JsonPropertyName("type")] public string? ExceptionType { get; init; }

    [JsonPropertyName("msg")] public string? Message { get; init; }

    [JsonPropertyName("stack")] public string? StackTrace { get; init; }

    /// <summary>Console output written while the test ran (capped).</summary>
    [JsonPropertyName("out")] public string? Output { get; init; }

    /// <summary>Runner version on hello; count of executed test cases on done.</summary>
    [JsonPropertyName("n")] public int? Count { get; init; }

    [JsonIgnore] public string? TestId => Class is null || Method is null ? null : Class + "." + Method;
}

