namespace CodeLab.Load.Execution;

/// <summary>
/// A scenario's simulations turned into phases with everything resolved that does not depend on how calls go: the
/// rate a ramp starts from, the fraction of an arrival carried from one open phase to the next, the copies a closed
/// ramp starts from, what the run is scheduled to issue (for the target rate). Pure: no clock, no calls, so the
/// schedule is tested on its own; the runners (<see cref="OpenModelRunner"/>, <see cref="ClosedModelRunner"/>,
/// <see cref="BurstRunner"/>) only carry it out.
/// </summary>
internal sealed class LoadPlan
{
    LoadPlan(IReadOnlyList<PlannedPhase> phases)
    {
        Phases = phases;
        foreach (var phase in phases)
        {
            switch (phase)
            {
                case OpenPhase open:
                    ScheduledArrivals += open.Count;
                    PlannedSeconds += open.Seconds;
                    break;
                case ClosedPhase closed:
                    HasClosedPhase = true;
                    if (closed.During is { } during) PlannedSeconds += during.TotalSeconds;
                    break;
                case PausePhase pause:
                    PlannedSeconds += pause.Duration.TotalSeconds;
                    break;
                case BurstPhase burst:
                    ScheduledArrivals += burst.Count;
                    break;
            }
        }
    }

    public IReadOnlyList<PlannedPhase> Phases { get; }

    /// <summary>Calls the open phases and bursts are scheduled to issue.</summary>
    public long ScheduledArrivals { get; }

    /// <summary>Seconds the timed phases last.</summary>
    public double PlannedSeconds { get; }

    public bool HasClosedPhase { get; }

    /// <summary>Calls per second the schedule asks for; null with a closed phase (copies set no rate) or no timed phase.</summary>
    public double? TargetRate => !HasClosedPhase && PlannedSeconds > 0 ? ScheduledArrivals / PlannedSeconds : null;

    public static LoadPlan For(IEnumerable<LoadSimulation> simulations)
    {
        var phases = new List<PlannedPhase>();
        double offset = 0, rate = 0, copies = 0;
        foreach (var simulation in simulations)
        {
            switch (simulation)
            {
                case InjectSimulation i:
                    phases.Add(Open(PerSecond(i.Rate, i.Interval), PerSecond(i.Rate, i.Interval), i.Duration));
                    break;
                case RampingInjectSimulation r:
                    phases.Add(Open(rate, PerSecond(r.Rate, r.Interval), r.Duration));
                    break;
                case KeepConstantSimulation k:
                    phases.Add(Closed(k.Copies, k.Copies, k.Duration, null));
                    break;
                case RampingConstantSimulation rc:
                    phases.Add(Closed(copies, rc.Copies, rc.Duration, null));
                    break;
                case IterationsForConstantSimulation it:
                    phases.Add(Closed(it.Copies, it.Copies, null, it.Iterations));
                    break;
                case PauseSimulation p:
                    phases.Add(new PausePhase(p.Duration));
                    offset = rate = copies = 0;
                    break;
                case BurstSimulation b:
                    phases.Add(new BurstPhase(b.Count));
                    break;
                default:
                    throw new NotSupportedException($"Load simulation {simulation.GetType().Name} is not supported.");
            }
        }
        return new LoadPlan(phases);

        OpenPhase Open(double from, double to, TimeSpan during)
        {
            var phase = new OpenPhase(from, to, during.TotalSeconds, offset);
            offset = phase.NextOffset;
            rate = to;
            return phase;
        }

        ClosedPhase Closed(double from, double to, TimeSpan? during, long? iterations)
        {
            offset = rate = 0;
            copies = to;
            return new ClosedPhase(from, to, during, iterations);
        }
    }

    /// <summary>
    /// The warm-up: the plan from its start, cut at <paramref name="warmUp"/>. Phases without a duration (bursts,
    /// iterations) are left out; a ramp cut short stops where it would have been at the cut.
    /// </summary>
    public LoadPlan WarmUp(TimeSpan warmUp)
    {
        var left = warmUp.TotalSeconds;
        var phases = new List<PlannedPhase>();
        foreach (var phase in Phases)
        {
            if (left <= 0) break;
            switch (phase)
            {
                case OpenPhase open:
                    var openTake = Math.Min(open.Seconds, left);
                    phases.Add(open with { ToRate = open.FromRate + (open.ToRate - open.FromRate) * (openTake / open.Seconds), Seconds = openTake });
                    left -= openTake;
                    break;
                case ClosedPhase { During: { } during } closed:
                    var closedTake = Math.Min(during.TotalSeconds, left);
                    phases.Add(closed with
                    {
                        ToCopies = closed.FromCopies + (closed.ToCopies - closed.FromCopies) * (closedTake / during.TotalSeconds),
                        During = TimeSpan.FromSeconds(closedTake),
                    });
                    left -= closedTake;
                    break;
                case PausePhase pause:
                    var pauseTake = Math.Min(pause.Duration.TotalSeconds, left);
                    phases.Add(new PausePhase(TimeSpan.FromSeconds(pauseTake)));
                    left -= pauseTake;
                    break;
            }
        }
        return new LoadPlan(phases);
    }

    static double PerSecond(double rate, TimeSpan interval) => rate / interval.TotalSeconds;
}
