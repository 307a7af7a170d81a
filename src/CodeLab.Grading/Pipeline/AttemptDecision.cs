using CodeLab.Sandbox.Engine;

namespace CodeLab.Grading;

/// <summary>
/// What a grade does after an attempt of its sandboxed stage. An inconclusive measurement (a sandbox or service world
/// the engine could not start, a runner that never started, a load run whose generator the machine held back) says
/// nothing about the submission, so it never costs points: the stage runs once more, from the same compiled code in
/// fresh containers, and if that is inconclusive too the grade is an error with the reasons and no score. What the
/// candidate's code did (a crash, a hang, a service that never became ready, an incoherent channel) is conclusive.
/// </summary>
public sealed record AttemptDecision(AttemptNext Next, string? Reason)
{
    /// <summary>The first attempt and one automatic retry.</summary>
    public const int MaxAttempts = 2;

    public static AttemptDecision Decide(IReadOnlyList<StageAttempt> attempts)
    {
        if (attempts.Count == 0) throw new ArgumentException("no attempt to decide on", nameof(attempts));
        var last = attempts[^1];
        if (last.Stopped is { } stopped && !IsInfrastructure(stopped))
            return new AttemptDecision(AttemptNext.Error, Grader.Unfinished(stopped)); // a defect of CodeLab: retrying hides it
        var reasons = InconclusiveReasons(last);
        if (reasons.Count == 0) return new AttemptDecision(AttemptNext.Score, attempts.Count > 1 ? RetriedNote(attempts[0]) : null);
        var why = string.Join("; ", reasons);
        if (attempts.Count < MaxAttempts) return new AttemptDecision(AttemptNext.Retry, why);
        return new AttemptDecision(AttemptNext.Error,
            $"Inconclusive twice, so nothing was scored and no points were lost: {string.Join(" Then: ", attempts.Select(a => Brief(InconclusiveReasons(a))))}. Grade again when the machine is less busy (./codelab doctor).");
    }

    /// <summary>Why an attempt cannot be scored, in words; empty when it can.</summary>
    public static IReadOnlyList<string> InconclusiveReasons(StageAttempt attempt)
    {
        if (attempt.Stopped is { } stopped)
            return IsInfrastructure(stopped) ? [$"grading could not finish for a reason outside the submission ({stopped.Message.TrimEnd('.')})"] : [];
        var tested = attempt.Tested!;
        // An incoherent channel is the submission's doing (or a defect): never retried into something else.
        if (tested.Integrity is not null) return [];
        return tested.Outcomes.Values.Where(o => o.Inconclusive is not null).Select(o => o.Inconclusive!).Distinct(StringComparer.Ordinal).ToList();
    }

    static string RetriedNote(StageAttempt first) =>
        $"Graded twice: the first attempt was inconclusive ({Brief(InconclusiveReasons(first))}), so its stage ran again in fresh containers from the same compiled code; the second attempt is the one scored.";

    /// <summary>
    /// An attempt's reasons for a summary line: the first two, and how many more (each test's own reason stays in the
    /// report's tests). Ten tests inconclusive for one cause would otherwise fill the summary with ten variants of it.
    /// </summary>
    static string Brief(IReadOnlyList<string> reasons) =>
        reasons.Count <= 2 ? string.Join("; ", reasons) : $"{string.Join("; ", reasons.Take(2))}; and {reasons.Count - 2} more (see the tests)";

    static bool IsInfrastructure(Exception ex) => ex is ContainerEngineException or InfrastructureException;
}
