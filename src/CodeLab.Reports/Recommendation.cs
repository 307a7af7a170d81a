namespace CodeLab.Reports;

/// <summary>What to do with the candidate and why, derived from the worst severity found.</summary>
public sealed record Recommendation(string Decision, string Reason);
