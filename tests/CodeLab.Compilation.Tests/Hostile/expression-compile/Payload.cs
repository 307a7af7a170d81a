using System.Linq.Expressions;
namespace RateLimiting;
public static class Sneak { public static int Run() { Expression<Func<int>> e = () => 1; return e.Compile()(); } }
