namespace Counting;

public sealed class Counter
{
    int value;
    public int Value => Volatile.Read(ref value);
    public int Increment() => Interlocked.Increment(ref value);

    // Never returns: the grader must charge this test only, and still grade the rest.
    public void Reset()
    {
        var spins = 0L;
        while (Volatile.Read(ref value) >= 0) spins++;
        value = (int)spins;
    }
}
