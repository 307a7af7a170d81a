namespace CodeLab.Reports;

/// <summary>
/// report.json, schema version 2 (README.md, "report.json"; schema in report.schema.json). Version 1's fields are all
/// kept; version 2 adds the recommendation, findings (one per root cause), questions, the score's severity band and
/// the service logs. Grading fills it; the writers render it. Property names are the contract (camelCase in JSON);
/// fields beyond the required ones are additions, never changes.
/// </summary>
public sealed record GradeReport
{
    public int SchemaVersion { get; init; } = 2;
    public required string Exercise { get; init; }
    public required string Level { get; init; }
    /// <summary>graded | compile-error | rejected | error</summary>
    public required string Verdict { get; init; }
    /// <summary>One paragraph for a reviewer: the worst that breaks and its size, the score and how it was reached.</summary>
    public required string Summary { get; init; }
    /// <summary>What to do with the candidate, derived from the worst severity found (not from the score).</summary>
    public Recommendation Recommendation { get; init; } = new(Decisions.None, "");
    /// <summary>One entry per root cause, worst first, with its consequence, size and evidence.</summary>
    public IReadOnlyList<FindingReport> Findings { get; init; } = [];
    /// <summary>Follow-up questions per failed criterion, or the level's discussion points for a clean grade.</summary>
    public IReadOnlyList<QuestionReport> Questions { get; init; } = [];
    /// <summary>Service exercises: each replica's log (kept whole in a file beside the report) and what it logged that matters.</summary>
    public IReadOnlyList<ServiceLogReport> ServiceLogs { get; init; } = [];
    public required ScoreReport Score { get; init; }
    public required CompilationReport Compilation { get; init; }
    public required PolicyReport Policy { get; init; }
    public required IReadOnlyList<TestReport> Tests { get; init; }
    public SandboxReport? Sandbox { get; init; }
    public required TimingsReport Timings { get; init; }
    public required EnvironmentReport Environment { get; init; }
    public SubmissionReport? Submission { get; init; }
    /// <summary>Things a reviewer should know about how the grade was made (e.g. a sandbox restarted after a hung test).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
    /// <summary>Service exercises: each load scenario's figures and thresholds.</summary>
    public IReadOnlyList<LoadReport> Load { get; init; } = [];
    /// <summary>Facts the hidden tests measured (counted by trusted fakes, not taken from the candidate's answers).</summary>
    public IReadOnlyList<CheckReport> Checks { get; init; } = [];
}

/// <summary>A counted fact. <paramref name="Reference"/>: what the reference solution measured for it, when the exercise keeps that.</summary>
public sealed record CheckReport(string Name, string Criterion, string Expected, string Actual, bool Passed, string? Reference = null);

/// <summary>One load scenario as the reviewer sees it. Latency is from each call's intended start.</summary>
public sealed record LoadReport(
    string Scenario, string Criterion, double? TargetRate, double AchievedRate, LoadRequests Requests, LoadLatency LatencyMs,
    bool GeneratorBound, IReadOnlyList<LoadThreshold> Thresholds, string? Error = null)
{
    /// <summary>Per second of the measured run: calls and latency percentiles (from the intended start).</summary>
    public IReadOnlyList<LoadSecond> Series { get; init; } = [];

    /// <summary>What the judge's fakes counted about the run (charges per key, consistent answers), under the scenario's criterion.</summary>
    public IReadOnlyList<CheckReport> Checks { get; init; } = [];
    /// <summary>How late the load generator itself started calls (its lag, kept apart from the service's latency); null when no stats came.</summary>
    public LoadGeneratorLag? GeneratorLagMs { get; init; }
}

public sealed record LoadGeneratorLag(double P50, double P99, double Max);

public sealed record LoadRequests(long Ok, long Fail);

public sealed record LoadLatency(double P50, double P95, double P99, double Max);

/// <summary>A load threshold. <paramref name="Reference"/>: the reference solution's figure for it, when the exercise keeps that.</summary>
public sealed record LoadThreshold(string Expression, double? Actual, bool Passed, string Message, string? Reference = null);

public static class Verdicts
{
    public const string Graded = "graded";
    public const string CompileError = "compile-error";
    public const string Rejected = "rejected";
    public const string Error = "error";
}

/// <summary>
/// Total is the points earned (<see cref="Points"/>, the criteria's scores added up) placed in the band of the worst
/// severity that failed (<see cref="Band"/>): a blocker always scores below a major flaw, which scores below a minor one.
/// </summary>
public sealed record ScoreReport(double Total, double Max, IReadOnlyList<CriterionScore> Criteria)
{
    /// <summary>The criteria's scores added up (each its weight times the share of its tests that passed).</summary>
    public double Points { get; init; }
    /// <summary>The band the total lies in; null when nothing failed (the total is then the points, 100).</summary>
    public ScoreBand? Band { get; init; }
}

public sealed record ScoreBand(string Severity, double Low, double High);

public sealed record CriterionScore(string Id, string Title, double Score, double Max, int TestsPassed, int TestsTotal)
{
    /// <summary>blocker | major | minor: what failing it means.</summary>
    public string Severity { get; init; } = "";
}

public sealed record CompilationReport(bool Succeeded, double ElapsedMs, IReadOnlyList<DiagnosticReport> Diagnostics);

public sealed record DiagnosticReport(string Id, string Severity, string File, int Line, int Column, string Message);

public sealed record PolicyReport(IReadOnlyList<PolicyViolationReport> Violations)
{
    /// <summary>Which policy judged the code: its profile (library or service) and version.</summary>
    public string Profile { get; init; } = "";
    public string Version { get; init; } = "";
}

public sealed record PolicyViolationReport(string Rule, string File, int Line, string Message);

/// <summary>One test. Status: pass | fail | error | timeout | not-run.</summary>
public sealed record TestReport
{
    public required string Name { get; init; }
    public required string Description { get; init; }
    /// <summary>public | hidden</summary>
    public required string Suite { get; init; }
    public required string Criterion { get; init; }
    public required string Status { get; init; }
    public string? Message { get; init; }
    public double? DurationMs { get; init; }
    /// <summary>Stack frames in the candidate's own files, when the failure came from their code.</summary>
    public string? CandidateStack { get; init; }
    /// <summary>Console output written during the test (capped).</summary>
    public string? Output { get; init; }
    /// <summary>What its failure means (blocker | major | minor); set on every test, passed or not.</summary>
    public string? Severity { get; init; }
}

public static class TestStatuses
{
    public const string Pass = "pass";
    public const string Fail = "fail";
    public const string Error = "error";
    public const string Timeout = "timeout";
    public const string NotRun = "not-run";
}

public sealed record SandboxReport(string Image, long ExitCode, bool TimedOut, bool OomKilled, double WallMs, int Runs);

public sealed record TimingsReport(double CompileMs, double TestMs, double TotalMs);

public sealed record EnvironmentReport(string CodelabVersion, string ImageId, string Runtime);

public sealed record SubmissionReport(string Sha256, IReadOnlyList<SubmissionFileReport> Files);

public sealed record SubmissionFileReport(string Path, long Bytes);
