namespace Counting;

public sealed class Counter
{
    public int Value => throw new NotImplementedException();

    public int Increment() => throw new NotImplementedException();

    public void Reset() => throw new NotImplementedException();
}
