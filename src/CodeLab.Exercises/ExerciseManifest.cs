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
    [JsonPropertyName("service")] public ServiceManifest? Service { get; init; }
}

/// <summary>Service exercises: what runs beside the candidate's service on the grade's private network.</summary>
public sealed record ServiceManifest
{
    [JsonPropertyName("redis")] public bool? Redis { get; init; }
    [JsonPropertyName("replicas")] public int? Replicas { get; init; }
    [JsonPropertyName("readyPath")] public string? ReadyPath { get; init; }
    [JsonPropertyName("readyTimeoutSeconds")] public int? ReadyTimeoutSeconds { get; init; }
    /// <summary>Host names the judge container answers to, where the trusted fakes listen (e.g. "provider").</summary>
    [JsonPropertyName("fakeHosts")] public List<string>? FakeHosts { get; init; }
    /// <summary>Environment variables of the candidate's service, documented in the statement.</summary>
    [JsonPropertyName("environment")] public Dictionary<string, string>? Environment { get; init; }
}

public sealed record LevelManifest
{
    [JsonPropertyName("id")] public string? Id { get; init; }
    /// <summary>A part folder (relative to the exercise) with its own exercise.json that grades this level.</summary>
    [JsonPropertyName("folder")] public string? Folder { get; init; }
    [JsonPropertyName("timeEstimateMinutes")] public int? TimeEstimateMinutes { get; init; }
    [JsonPropertyName("criteria")] public List<CriterionManifest>? Criteria { get; init; }
    [JsonPropertyName("limits")] public LimitsManifest? Limits { get; init; }
    /// <summary>Service exercises: replicas of the candidate's service at this level (overrides the exercise's).</summary>
    [JsonPropertyName("replicas")] public int? Replicas { get; init; }
    /// <summary>Service exercises: load scenarios with thresholds, scored like tests.</summary>
    [JsonPropertyName("load")] public List<LoadManifest>? Load { get; init; }
}

public sealed record LoadManifest
{
    [JsonPropertyName("scenario")] public string? Scenario { get; init; }
    [JsonPropertyName("criterion")] public string? Criterion { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("thresholds")] public List<string>? Thresholds { get; init; }
    /// <summary>The severity of a run that broke only thresholds (latency, errors); a failed check keeps the criterion's.</summary>
    [JsonPropertyName("severity")] public string? Severity { get; init; }
}

public sealed record CriterionManifest
{
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("title")] public string? Title { get; init; }
    [JsonPropertyName("weight")] public double? Weight { get; init; }
    /// <summary>blocker | major | minor: what failing it means (see exercises/README.md, "Severity and weights").</summary>
    [JsonPropertyName("severity")] public string? Severity { get; init; }
    /// <summary>Tests of this criterion whose failure is more or less severe than the criterion's: method name to severity.</summary>
    [JsonPropertyName("tests")] public Dictionary<string, string>? Tests { get; init; }
}

public sealed record LimitsManifest
{
    [JsonPropertyName("testTimeoutSeconds")] public int? TestTimeoutSeconds { get; init; }
    [JsonPropertyName("runTimeoutSeconds")] public int? RunTimeoutSeconds { get; init; }
    [JsonPropertyName("memoryMb")] public int? MemoryMb { get; init; }
    [JsonPropertyName("cpus")] public double? Cpus { get; init; }
    [JsonPropertyName("pids")] public int? Pids { get; init; }
}
