namespace CodeLab.Grading;

/// <summary>Grade the submission in <paramref name="SubmissionFolder"/> for an exercise at a level.</summary>
public sealed record GradeRequest(string ExerciseId, string Level, string SubmissionFolder)
{
    /// <summary>The hand-in already read (once, into memory) by the caller; when set, the folder is not read again.</summary>
    public Submission? Submission { get; init; }

    /// <summary>
    /// Where the grade's time went, stage by stage (<see cref="GradeStages"/>; a stage run twice reports twice), for
    /// benchmarks. Time that overlaps another stage (a sandbox starting while Roslyn compiles) counts only where it was waited for.
    /// </summary>
    public Action<string, TimeSpan>? Timing { get; init; }
}
