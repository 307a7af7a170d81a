using System.Text.Json.Serialization;

namespace CodeLab.Exercises;

/// <summary>exercise.json as written by an author (see exercises/README.md). Validated into an <see cref="Exercise"/>.</summary>
public sealed record ExerciseManifest
{
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("title")] public string? Title { get; init; }
    [JsonPropertyName("summary")] public string? Summary { get; init; }
    [JsonPropertyName("kind")] public string? Kind { get; init; }
    [JsonPropertyName("skills")] public List<string>? Skills { get; init; }
    [JsonPropertyName("seeds")] public List<string>? Seeds { get; init; }
    [JsonPropertyName("frameworks")] public List<string>? Frameworks { get; init; }
    [JsonPropertyName("packages")] public List<string>? Packages { get; init; }
    [JsonPropertyName("levels")] public List<LevelManifest>? Levels { get; init; }
}

public sealed record LevelManifest
{
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("timeEstimateMinutes")] public int? TimeEstimateMinutes { get; init; }
    [JsonPropertyName("criteria")] public List<CriterionManifest>? Criteria { get; init; }
    [JsonPropertyName("limits")] public LimitsManifest? Limits { get; init; }
}

public sealed record CriterionManifest
{
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("title")] public string? Title { get; init; }
    [JsonPropertyName("weight")] public double? Weight { get; init; }
}

public sealed record LimitsManifest
{
    [JsonPropertyName("testTimeoutSeconds")] public int? TestTimeoutSeconds { get; init; }
    [JsonPropertyName("runTimeoutSeconds")] public int? RunTimeoutSeconds { get; init; }
    [JsonPropertyName("memoryMb")] public int? MemoryMb { get; init; }
    [JsonPropertyName("cpus")] public double? Cpus { get; init; }
    [JsonPropertyName("pids")] public int? Pids { get; init; }
}
