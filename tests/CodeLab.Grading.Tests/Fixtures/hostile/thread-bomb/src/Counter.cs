namespace Counting;

public sealed class Counter
{
    int value;
    public int Value => Volatile.Read(ref value);
    public int Increment() => Interlocked.Increment(ref value);

    // Up to 2,000 sleeping threads (bounded): far beyond the sandbox's process limit.
    public void Reset()
    {
        for (var i = 0; i < 2000; i++)
            new Thread(() => Thread.Sleep(30_000)) { IsBackground = true }.Start();
        value = 0;
    }
}
