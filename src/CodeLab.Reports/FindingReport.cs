namespace CodeLab.Reports;

/// <summary>
/// One root cause: what broke (<see cref="Headline"/>), what it costs in production (<see cref="Consequence"/>, the
/// author's words), how big it was in this run (<see cref="Size"/>, from the checks' expected and actual values), and
/// the evidence: the tests and checks that showed it and the candidate's code lines that matter.
/// </summary>
public sealed record FindingReport
{
    /// <summary>blocker | major | minor</summary>
    public required string Severity { get; init; }
    public required string Criterion { get; init; }
    public required string Headline { get; init; }
    public required string Consequence { get; init; }
    /// <summary>The size in words ("1 expected, 20 counted: charges for one key after 20 simultaneous requests"); empty when no check counted it.</summary>
    public required string Size { get; init; }
    /// <summary>Names (ids) of the tests that failed for this cause.</summary>
    public required IReadOnlyList<string> Tests { get; init; }
    public IReadOnlyList<CheckReport> Checks { get; init; } = [];
    /// <summary>Candidate code lines that matter for this failure (candidate text).</summary>
    public IReadOnlyList<CodeCitation> Code { get; init; } = [];
    /// <summary>
    /// Failures of criteria that build on this one (the author's "buildsOn"), folded in because they most likely
    /// come from the same cause: each as a finding of its own criterion, without further nesting. The finding's
    /// <see cref="Severity"/> is the worst of its own and these.
    /// </summary>
    public IReadOnlyList<FindingReport> AlsoFailed { get; init; } = [];
}
