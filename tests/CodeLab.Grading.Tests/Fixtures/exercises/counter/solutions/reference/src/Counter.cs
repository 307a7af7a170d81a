namespace Counting;

public sealed class Counter
{
    int value;

    public int Value => Volatile.Read(ref value);

    public int Increment() => Interlocked.Increment(ref value);

    public void Reset() => Interlocked.Exchange(ref value, 0);
}
