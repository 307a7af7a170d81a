using Counting;
using Shouldly;
using Xunit;

namespace Counting.Tests;

[Trait("level", "junior")]
public sealed class CounterPublicTests
{
    [Fact(DisplayName = "A new counter reads zero")]
    [Trait("criterion", "basics")]
    public void Starts_at_zero() => new Counter().Value.ShouldBe(0);

    [Fact(DisplayName = "Increment returns the new value")]
    [Trait("criterion", "basics")]
    public void Increment_returns_new_value() => new Counter().Increment().ShouldBe(1);
}
