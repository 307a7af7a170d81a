namespace CodeLab.Grading;

public enum AttemptNext
{
    /// <summary>The attempt is conclusive: score it.</summary>
    Score,
    /// <summary>Inconclusive for the first time: run the stage again.</summary>
    Retry,
    /// <summary>Inconclusive again, or stopped by a defect: verdict error, no score.</summary>
    Error,
}
