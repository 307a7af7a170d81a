namespace Counting;

public sealed class Counter
{
    int value;
    public int Value => value
    public int Increment() => Interlocked.Increment(ref value);
    public void Reset() => value = 0;
}
