using System.Text.Json.Serialization;

namespace CodeLab.Protocol;

/// <summary>What the grader asks the runner to do, sent inside the work archive as run.json.</summary>
public sealed record RunManifest
{
    [JsonPropertyName("testAssembly")] public required string TestAssembly { get; init; }

    /// <summary>Test methods to run, as "Namespace.Class.Method". Everything else is skipped.</summary>
    [JsonPropertyName("tests")] public required IReadOnlyList<string> Tests { get; init; }

    /// <summary>A test running longer than this is reported as timed out and the runner exits.</summary>
    [JsonPropertyName("testTimeoutMs")] public int TestTimeoutMs { get; init; } = 10_000;

    /// <summary>Judge runs: health URLs of the candidate's service replicas, all of which must answer 2xx before any test runs.</summary>
    [JsonPropertyName("waitFor")] public IReadOnlyList<string> WaitFor { get; init; } = [];

    /// <summary>How long the service may take to become ready.</summary>
    [JsonPropertyName("readyTimeoutMs")] public int ReadyTimeoutMs { get; init; } = 30_000;

    /// <summary>
    /// Judge runs: the tests may ask the grader to act on the world (restart a service replica, stop Redis). The runner
    /// sends a "control" event (n = request number, msg = command) and reads "ack n ok" or "ack n error ..." on stdin,
    /// which then stays open after the work archive.
    /// </summary>
    [JsonPropertyName("control")] public bool Control { get; init; }

    /// <summary>Judge runs: load scenarios to run after the tests, each a compiled script in the work folder.</summary>
    [JsonPropertyName("load")] public IReadOnlyList<LoadRun> Load { get; init; } = [];

    /// <summary>Cap on console output kept per test.</summary>
    [JsonPropertyName("outputCapBytes")] public int OutputCapBytes { get; init; } = 4096;
}

/// <summary>What the grader asks the service runner to start, sent inside the work archive as service.json.</summary>
public sealed record ServiceManifest
{
    [JsonPropertyName("assembly")] public required string Assembly { get; init; }
}

/// <summary>
/// A load scenario for the runner: <see cref="Assembly"/> is a compiled C# script (its factory returns a ScenarioProps).
/// The runner answers with a "load" event: m = scenario, out = the stats as JSON, or msg = why it could not run.
/// </summary>
public sealed record LoadRun
{
    [JsonPropertyName("scenario")] public required string Scenario { get; init; }
    [JsonPropertyName("assembly")] public required string Assembly { get; init; }
    [JsonPropertyName("limitMs")] public int LimitMs { get; init; } = 120_000;
}
