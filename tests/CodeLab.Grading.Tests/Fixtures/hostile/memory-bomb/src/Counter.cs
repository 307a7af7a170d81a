namespace Counting;

public sealed class Counter
{
    int value;
    public int Value => Volatile.Read(ref value);
    public int Increment() => Interlocked.Increment(ref value);

    static readonly List<byte[]> Hoard = [];

    // Up to 2 GB in touched 64 MB blocks (bounded), kept alive: far beyond the sandbox's memory limit.
    public void Reset()
    {
        for (var i = 0; i < 32; i++)
        {
            var block = new byte[64 * 1024 * 1024];
            for (var j = 0; j < block.Length; j += 4096) block[j] = 1;
            Hoard.Add(block);
        }
        value = 0;
    }
}
