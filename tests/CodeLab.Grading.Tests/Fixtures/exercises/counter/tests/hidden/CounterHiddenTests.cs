using Counting;
using Shouldly;
using Xunit;

namespace Counting.Tests;

[Trait("level", "junior")]
public sealed class CounterHiddenTests
{
    [Fact(DisplayName = "Value counts every increment")]
    [Trait("criterion", "basics")]
    public void Value_counts_increments()
    {
        var counter = new Counter();
        for (var i = 0; i < 10; i++) counter.Increment();
        counter.Value.ShouldBe(10, "ten increments should read 10");
    }

    [Theory(DisplayName = "Increments from parallel threads are never lost")]
    [InlineData(4)]
    [InlineData(8)]
    [Trait("criterion", "concurrency")]
    public void Parallel_increments_are_not_lost(int threads)
    {
        const int perThread = 200_000;
        var counter = new Counter();
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < perThread; i++) counter.Increment();
        })).ToList();
        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join());
        var expected = threads * perThread;
        if (counter.Value != expected)
            Assert.Fail($"{threads} threads made {expected} increments but the counter reads {counter.Value}: {expected - counter.Value} were lost.");
    }
}
