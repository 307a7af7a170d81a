using System.Runtime.InteropServices;
namespace Counting;

public sealed partial class Counter
{
    int value;
    public int Value => value;
    public int Increment() => getpid() > 0 ? Interlocked.Increment(ref value) : 0;
    public void Reset() => value = 0;

    [DllImport("libc")]
    static extern int getpid();
}
