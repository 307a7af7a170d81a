using System.Diagnostics;
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
        // Every call's result is observed (so the JIT cannot fold a loop of increments into one add), and the
        // threads hammer for a fixed 300 ms window after a common start, so they really overlap on every run.
        var counter = new Counter();
        var made = new long[threads];
        var backwards = new bool[threads];
        using var start = new Barrier(threads);
        var window = Stopwatch.Frequency * 3 / 10;
        var workers = Enumerable.Range(0, threads).Select(index => new Thread(() =>
        {
            start.SignalAndWait();
            var end = Stopwatch.GetTimestamp() + window;
            long calls = 0;
            var last = 0;
            while (Stopwatch.GetTimestamp() < end)
            {
                for (var k = 0; k < 256; k++)
                {
                    var now = counter.Increment();
                    if (now <= last) backwards[index] = true;
                    last = now;
                }
                calls += 256;
            }
            made[index] = calls;
        })).ToList();
        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join());
        var expected = made.Sum();
        if (counter.Value != expected)
            Assert.Fail($"{threads} threads made {expected} increments but the counter reads {counter.Value}: {expected - counter.Value} were lost.");
        if (backwards.Any(b => b))
            Assert.Fail($"Increment returned a value not above the previous one it returned on the same thread.");
    }
}
