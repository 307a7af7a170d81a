using CodeLab.Protocol;

namespace CodeLab.Grading;

/// <summary>
/// One judge run's CPU accounting around its load scenarios: a sample at each test's result and at each scenario's
/// report, so each scenario's window runs from the event before it (the last test, or the previous scenario) to its
/// own report, which covers its warm-up and any repeated runs. Samples come from the host (see <see cref="CpuMeter"/>).
/// </summary>
internal sealed class LoadCpu(JudgePlacement? judge)
{
    readonly Dictionary<string, CpuShare> shares = new(StringComparer.Ordinal);
    string? judgeId;
    CpuSample? last;

    public void Begin(string judgeContainerId)
    {
        if (judge is null || judge.Load.Count == 0) return;
        judgeId = judgeContainerId;
        last = Sample();
    }

    public void Observe(RunnerEvent? e)
    {
        if (judgeId is null || e is null) return;
        if (e.Event is not (RunnerEvents.Result or RunnerEvents.Ready or RunnerEvents.Load)) return;
        var now = Sample();
        if (e is { Event: RunnerEvents.Load, Method: { } scenario } && last is not null && now is not null)
            shares[scenario] = CpuShare.Between(last, now);
        last = now;
    }

    /// <summary>Null when the host's accounting could not be read for that scenario.</summary>
    public CpuShare? During(string scenario) => shares.GetValueOrDefault(scenario);

    CpuSample? Sample() => judge!.Meter.Sample(judge.CandidateContainers(), [judgeId!]);
}
