namespace Counting;

public sealed class Counter
{
    int value;
    public int Value => Volatile.Read(ref value);
    public int Increment() => Interlocked.Increment(ref value);

    // Unbounded recursion kills the test process: this test is charged, the rest resume.
    public void Reset() => Reset(value);

    int Reset(int depth) => Reset(depth + 1) + 1;
}
