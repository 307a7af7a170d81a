namespace CodeLab.Grading;

/// <summary>Grade the submission in <paramref name="SubmissionFolder"/> for an exercise at a level.</summary>
public sealed record GradeRequest(string ExerciseId, string Level, string SubmissionFolder);
