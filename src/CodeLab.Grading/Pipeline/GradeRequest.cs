namespace CodeLab.Grading;

/// <summary>Grade the submission in <paramref name="SubmissionFolder"/> for an exercise at a level.</summary>
public sealed record GradeRequest(string ExerciseId, string Level, string SubmissionFolder)
{
    /// <summary>The hand-in already read (once, into memory) by the caller; when set, the folder is not read again.</summary>
    public Submission? Submission { get; init; }
}
