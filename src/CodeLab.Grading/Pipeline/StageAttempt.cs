namespace CodeLab.Grading;

/// <summary>One run of a grade's sandboxed stage (tests, service, load): what it found, or what stopped it.</summary>
public sealed record StageAttempt(TestStageResult? Tested, Exception? Stopped)
{
    public static StageAttempt Of(TestStageResult tested) => new(tested, null);
    public static StageAttempt Of(Exception stopped) => new(null, stopped);
}
