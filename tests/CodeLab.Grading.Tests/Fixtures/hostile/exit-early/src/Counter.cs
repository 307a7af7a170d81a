namespace Counting;

public sealed class Counter
{
    static Counter() => Environment.Exit(0);
    int value;
    public int Value => value;
    public int Increment() => Interlocked.Increment(ref value);
    public void Reset() => value = 0;
}
