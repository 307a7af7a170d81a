namespace CodeLab.Load;

/// <summary>One phase of a scenario's load. Phases run one after another.</summary>
public abstract record LoadSimulation
{
    /// <summary>How long the phase lasts; null for phases that end when their calls are issued (Burst, IterationsForConstant).</summary>
    public abstract TimeSpan? During { get; }

    internal virtual bool IsOpen => false;
}

/// <summary>Open model: <paramref name="Rate"/> calls per <paramref name="Interval"/>, arrivals spread evenly, whatever the responses do.</summary>
public sealed record InjectSimulation(double Rate, TimeSpan Interval, TimeSpan Duration) : LoadSimulation
{
    public override TimeSpan? During => Duration;
    internal override bool IsOpen => true;
}

/// <summary>Open model whose rate moves linearly from the previous open phase's rate (0 at the start) to <paramref name="Rate"/>.</summary>
public sealed record RampingInjectSimulation(double Rate, TimeSpan Interval, TimeSpan Duration) : LoadSimulation
{
    public override TimeSpan? During => Duration;
    internal override bool IsOpen => true;
}

/// <summary>Closed model: <paramref name="Copies"/> callers, each starting its next call when the previous one returns.</summary>
public sealed record KeepConstantSimulation(int Copies, TimeSpan Duration) : LoadSimulation
{
    public override TimeSpan? During => Duration;
}

/// <summary>Closed model whose number of copies moves linearly from the previous closed phase's (0 at the start) to <paramref name="Copies"/>.</summary>
public sealed record RampingConstantSimulation(int Copies, TimeSpan Duration) : LoadSimulation
{
    public override TimeSpan? During => Duration;
}

/// <summary>No calls for a while.</summary>
public sealed record PauseSimulation(TimeSpan Duration) : LoadSimulation
{
    public override TimeSpan? During => Duration;
}

/// <summary>Closed model: <paramref name="Copies"/> callers share <paramref name="Iterations"/> calls.</summary>
public sealed record IterationsForConstantSimulation(int Copies, long Iterations) : LoadSimulation
{
    public override TimeSpan? During => null;
}

/// <summary><paramref name="Count"/> calls released at the same instant (races: duplicate retries, a stampede on one key).</summary>
public sealed record BurstSimulation(int Count) : LoadSimulation
{
    public override TimeSpan? During => null;
}

/// <summary>The load shapes, named as in NBomber.</summary>
public static class Simulation
{
    public static InjectSimulation Inject(double rate, TimeSpan interval, TimeSpan during)
    {
        CheckRate(rate);
        CheckSpan(interval, nameof(interval));
        CheckSpan(during, nameof(during));
        return new(rate, interval, during);
    }

    public static RampingInjectSimulation RampingInject(double rate, TimeSpan interval, TimeSpan during)
    {
        CheckRate(rate);
        CheckSpan(interval, nameof(interval));
        CheckSpan(during, nameof(during));
        return new(rate, interval, during);
    }

    public static KeepConstantSimulation KeepConstant(int copies, TimeSpan during)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(copies, 1);
        CheckSpan(during, nameof(during));
        return new(copies, during);
    }

    public static RampingConstantSimulation RampingConstant(int copies, TimeSpan during)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(copies);
        CheckSpan(during, nameof(during));
        return new(copies, during);
    }

    public static PauseSimulation Pause(TimeSpan during)
    {
        CheckSpan(during, nameof(during));
        return new(during);
    }

    public static IterationsForConstantSimulation IterationsForConstant(int copies, long iterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(copies, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1L);
        return new(copies, iterations);
    }

    public static BurstSimulation Burst(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return new(count);
    }

    static void CheckRate(double rate)
    {
        if (!double.IsFinite(rate) || rate < 0) throw new ArgumentOutOfRangeException(nameof(rate), rate, "A rate is a finite number of calls, 0 or more.");
    }

    static void CheckSpan(TimeSpan span, string name)
    {
        if (span <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(name, span, "Must be longer than zero.");
    }
}
