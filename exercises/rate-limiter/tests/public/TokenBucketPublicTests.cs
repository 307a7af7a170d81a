using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Throttling;
using Xunit;

namespace Throttling.Tests;

[Trait("level", "junior")]
public sealed class TokenBucketPublicTests
{
    [Fact(DisplayName = "A full bucket admits a burst of exactly its capacity")]
    [Trait("criterion", "bucket")]
    public void Burst_admits_capacity()
    {
        var limiter = new TokenBucketLimiter(new BucketLimit(Capacity: 5, TokensPerSecond: 1), new FakeTimeProvider());

        var admitted = Enumerable.Range(0, 8).Count(_ => limiter.TryAcquire("tenant-a").Allowed);

        admitted.ShouldBe(5, "a bucket of 5 tokens should admit 5 of 8 calls made at the same instant");
    }

    [Fact(DisplayName = "An empty bucket admits again once a token has refilled")]
    [Trait("criterion", "bucket")]
    public void Refills_over_time()
    {
        var time = new FakeTimeProvider();
        var limiter = new TokenBucketLimiter(new BucketLimit(Capacity: 2, TokensPerSecond: 2), time);
        limiter.TryAcquire("k");
        limiter.TryAcquire("k");
        limiter.TryAcquire("k").Allowed.ShouldBeFalse("the bucket is empty after 2 calls");

        time.Advance(TimeSpan.FromMilliseconds(500));

        limiter.TryAcquire("k").Allowed.ShouldBeTrue("at 2 tokens per second, one token is back after 500 ms");
    }

    [Fact(DisplayName = "A denied call says how long to wait")]
    [Trait("criterion", "decision")]
    public void Denied_call_has_retry_after()
    {
        var limiter = new TokenBucketLimiter(new BucketLimit(Capacity: 1, TokensPerSecond: 0.5), new FakeTimeProvider());
        limiter.TryAcquire("k");

        var denied = limiter.TryAcquire("k");

        denied.Allowed.ShouldBeFalse();
        denied.RetryAfter.ShouldBe(TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(1), "at 0.5 tokens per second one token takes 2 s");
    }
}
