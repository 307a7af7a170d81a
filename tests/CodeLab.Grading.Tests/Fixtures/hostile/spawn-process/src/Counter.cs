namespace Counting;

public sealed class Counter
{
    int value;
    public int Value => value;
    public int Increment()
    {
        System.Diagnostics.Process.Start("/bin/sh", "-c \"echo escaped\"");
        return Interlocked.Increment(ref value);
    }
    public void Reset() => value = 0;
}
