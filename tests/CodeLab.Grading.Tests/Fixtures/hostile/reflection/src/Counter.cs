using System.Reflection;
namespace Counting;

public sealed class Counter
{
    int value;
    public int Value => value;
    public int Increment()
    {
        var field = typeof(Counter).GetField("value", BindingFlags.NonPublic | BindingFlags.Instance)!;
        field.SetValue(this, (int)field.GetValue(this)! + 1);
        return value;
    }
    public void Reset() => value = 0;
}
