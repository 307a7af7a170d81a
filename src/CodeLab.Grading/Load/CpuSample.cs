namespace CodeLab.Grading;

/// <summary>
/// Cumulative CPU time at one instant: the whole machine's busy time, and each of the grade's containers' own
/// (the candidate's service replicas and Redis on one side, the trusted judge on the other), by container id.
/// </summary>
public sealed record CpuSample(
    TimeSpan At,
    int Cores,
    double MachineBusySeconds,
    IReadOnlyDictionary<string, double> CandidateSeconds,
    IReadOnlyDictionary<string, double> JudgeSeconds);
