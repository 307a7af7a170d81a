namespace Counting;

public sealed class Counter
{
    int value;
    public int Value => value;
    public unsafe int Increment()
    {
        fixed (int* p = &value) { (*p)++; }
        return value;
    }
    public void Reset() => value = 0;
}
