namespace CodeLab.Reports;

/// <summary>A question for the interview and what a good answer covers, written by the exercise's author.</summary>
/// <param name="Kind">follow-up (about a failed criterion) | discussion (the level's points, for a clean grade)</param>
public sealed record QuestionReport(string Kind, string? Criterion, string Ask, string GoodAnswer);
