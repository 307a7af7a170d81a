using CodeLab.Reports;

namespace CodeLab.Grading;

/// <summary>What happened to one known test (a theory's rows folded into one: any failing row fails it).</summary>
public sealed record TestOutcome(string Status, string? Message, double? DurationMs, string? CandidateStack, string? Output)
{
    /// <summary>
    /// Set when the measurement says nothing about the submission (the machine, not the candidate, set its result):
    /// why, in words. Such an outcome is never scored; the grade retries its stage, then becomes an error.
    /// </summary>
    public string? Inconclusive { get; init; }

    public static TestOutcome NotRun(string why) => new(TestStatuses.NotRun, why, null, null, null);
}
