using CodeLab.Reports;

namespace CodeLab.Grading;

/// <summary>What happened to one known test (a theory's rows folded into one: any failing row fails it).</summary>
public sealed record TestOutcome(string Status, string? Message, double? DurationMs, string? CandidateStack, string? Output)
{
    public static TestOutcome NotRun(string why) => new(TestStatuses.NotRun, why, null, null, null);
}
