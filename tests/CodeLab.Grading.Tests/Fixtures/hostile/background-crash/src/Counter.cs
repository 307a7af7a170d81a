namespace Counting;

public sealed class Counter
{
    int value;
    public int Value => Volatile.Read(ref value);
    public int Increment() => Interlocked.Increment(ref value);

    // An exception on a thread nobody observes ends the process.
    public void Reset()
    {
        var thread = new Thread(() => throw new InvalidOperationException("boom from a background thread"));
        thread.Start();
        thread.Join();
        value = 0;
    }
}
