using CodeLab.Protocol;

namespace CodeLab.Grading;

/// <summary>
/// One judge run's CPU accounting around its load scenarios: a sample at each test's result, when a run of a scenario
/// gets the machine's load slot (<see cref="Mark"/>) and at each scenario's report, so each scenario's window is its
/// last run (the one scored), warm-up included, and not the wait for the slot. Samples come from the host (see
/// <see cref="CpuMeter"/>).
/// </summary>
internal sealed class LoadCpu(JudgePlacement? judge)
{
    readonly Dictionary<string, CpuShare> shares = new(StringComparer.Ordinal);
    readonly Lock gate = new();
    string? judgeId;
    CpuSample? last;

    public void Begin(string judgeContainerId)
    {
        if (judge is null || judge.Load.Count == 0) return;
        lock (gate)
        {
            judgeId = judgeContainerId;
            last = Sample();
        }
    }

    public void Observe(RunnerEvent? e)
    {
        if (e is null || e.Event is not (RunnerEvents.Result or RunnerEvents.Ready or RunnerEvents.Load)) return;
        lock (gate)
        {
            if (judgeId is null) return;
            var now = Sample();
            if (e is { Event: RunnerEvents.Load, Method: { } scenario } && last is not null && now is not null)
                shares[scenario] = CpuShare.Between(last, now);
            last = now;
        }
    }

    /// <summary>A run of a scenario starts now (it got the load slot): its window begins here.</summary>
    public void Mark()
    {
        lock (gate)
        {
            if (judgeId is null) return;
            last = Sample();
        }
    }

    /// <summary>Null when the host's accounting could not be read for that scenario.</summary>
    public CpuShare? During(string scenario)
    {
        lock (gate) return shares.GetValueOrDefault(scenario);
    }

    CpuSample? Sample() => judge!.Meter.Sample(judge.CandidateContainers(), [judgeId!]);
}
