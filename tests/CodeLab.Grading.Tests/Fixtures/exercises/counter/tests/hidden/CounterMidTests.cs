using Counting;
using Shouldly;
using Xunit;

namespace Counting.Tests;

[Trait("level", "mid")]
public sealed class CounterMidTests
{
    [Fact(DisplayName = "Reset brings the counter back to zero")]
    [Trait("criterion", "reset")]
    public void Reset_goes_back_to_zero()
    {
        var counter = new Counter();
        counter.Increment();
        counter.Reset();
        counter.Value.ShouldBe(0);
    }
}
