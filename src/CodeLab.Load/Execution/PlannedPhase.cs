namespace CodeLab.Load.Execution;

/// <summary>One phase of a <see cref="LoadPlan"/>: what to do, with everything carried over from earlier phases resolved.</summary>
internal abstract record PlannedPhase;

/// <summary>
/// Open model: arrivals spread evenly along a rate that moves linearly from <paramref name="FromRate"/> to
/// <paramref name="ToRate"/> (calls per second) over <paramref name="Seconds"/>. <paramref name="Offset"/> is the part
/// of an arrival the previous open phase had already covered (fractional rates carry over, so 2.5 per second over
/// 2 s and then 1 s issues 5 and then 2 or 3 calls, never 6).
/// </summary>
internal sealed record OpenPhase(double FromRate, double ToRate, double Seconds, double Offset) : PlannedPhase
{
    /// <summary>Arrivals the rate covers in the phase: the area under it.</summary>
    public double Area => FromRate * Seconds + (ToRate - FromRate) * Seconds / 2;

    public long Count => Math.Max(0, (long)Math.Ceiling(Area - Offset - 1e-9));

    /// <summary>What the next open phase starts with.</summary>
    public double NextOffset => Count + Offset - Area;

    /// <summary>When arrival <paramref name="k"/> (0-based) is due, in seconds from the phase's start.</summary>
    public double ArrivalSeconds(long k)
    {
        // Arrivals so far at time t: N(t) = a t^2 + b t. Arrival k comes when N(t) = k + offset.
        var a = (ToRate - FromRate) / (2 * Seconds);
        var b = FromRate;
        var n = k + Offset;
        // The stable root of a t^2 + b t - n = 0 (also right when a is 0 or negative).
        var t = n == 0 ? 0 : 2 * n / (b + Math.Sqrt(Math.Max(0, b * b + 4 * a * n)));
        return Math.Min(t, Seconds);
    }
}

/// <summary>
/// Closed model: copies that each start their next call when the previous one returns; their number moves linearly
/// from <paramref name="FromCopies"/> to <paramref name="ToCopies"/> through the phase. Timed (<paramref name="During"/>)
/// or a shared number of <paramref name="Iterations"/>.
/// </summary>
internal sealed record ClosedPhase(double FromCopies, double ToCopies, TimeSpan? During, long? Iterations) : PlannedPhase
{
    /// <param name="progress">0 at the phase's start, 1 at its end.</param>
    public int CopiesAt(double progress) => (int)Math.Round(FromCopies + (ToCopies - FromCopies) * Math.Clamp(progress, 0, 1));
}

/// <summary>No calls for a while; the open and closed carry-overs start again from zero after it.</summary>
internal sealed record PausePhase(TimeSpan Duration) : PlannedPhase;

/// <summary>Calls released at the same instant.</summary>
internal sealed record BurstPhase(int Count) : PlannedPhase;
