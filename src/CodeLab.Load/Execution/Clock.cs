using System.Diagnostics;

namespace CodeLab.Load.Execution;

/// <summary>Stopwatch timestamps only: monotonic, unaffected by wall-clock changes.</summary>
internal static class Clock
{
    static readonly double MicrosPerTick = 1_000_000.0 / Stopwatch.Frequency;

    public static long Now => Stopwatch.GetTimestamp();
    public static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
    public static long Ticks(double seconds) => (long)(seconds * Stopwatch.Frequency);
    public static long Micros(long ticks) => (long)(ticks * MicrosPerTick);
    public static double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;
}
