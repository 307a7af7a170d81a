using System.Text.Json.Serialization;

namespace CodeLab.Runner.Protocol;

/// <summary>
/// One line of the runner's private channel. The runner writes these to the container's real stdout,
/// each prefixed with <see cref="RunnerChannel.Prefix"/> and the per-run secret, so that output printed
/// by candidate code can never be mistaken for a result. This file is linked into the grader, which
/// parses what the runner writes: one definition for both sides.
/// </summary>
public sealed record RunnerEvent
{
    /// <summary>hello | start | result | timeout | fatal | notready | ready | done</summary>
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

public static class RunnerChannel
{
    public const string Prefix = "@codelab:";
    public const int Version = 1;
}

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
