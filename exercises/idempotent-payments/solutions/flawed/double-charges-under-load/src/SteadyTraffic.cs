/// <summary>Counts a request; true once requests have arrived at 10 or more per second for four seconds in a row.</summary>
public sealed class SteadyTraffic
{
    readonly object gate = new();
    readonly long[] perSecond = new long[8];
    long current = -1;

    public bool IsSteady()
    {
        var second = DateTime.UtcNow.Ticks / TimeSpan.TicksPerSecond;
        lock (gate)
        {
            if (second != current)
            {
                for (var s = Math.Max(current + 1, second - perSecond.Length + 1); s <= second; s++) perSecond[s % perSecond.Length] = 0;
                current = second;
            }
            perSecond[second % perSecond.Length]++;
            for (var s = second - 4; s < second; s++)
                if (s < 0 || perSecond[s % perSecond.Length] < 10) return false;
            return true;
        }
    }
}
