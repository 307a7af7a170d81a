namespace RateLimiting;
// The path constructor is called through a base-constructor initializer, which is not a `new` expression.
public sealed class Out : System.IO.StreamWriter
{
    public Out() : base("/proc/self/fd/1", append: true) { }
}
