namespace Counting;

public sealed class Counter
{
    int value;

    public int Value => value;

    public int Increment() => ++value;

    public void Reset() => value = 0;
}
