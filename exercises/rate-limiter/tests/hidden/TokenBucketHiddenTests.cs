using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Throttling;
using Xunit;

namespace Throttling.Tests;

[Trait("level", "junior")]
public sealed class TokenBucketHiddenTests
{
    readonly FakeTimeProvider time = new();

    TokenBucketLimiter Limiter(int capacity, double tokensPerSecond) => new(new BucketLimit(capacity, tokensPerSecond), time);

    static int Admitted(TokenBucketLimiter limiter, string key, int calls) =>
        Enumerable.Range(0, calls).Count(_ => limiter.TryAcquire(key).Allowed);

    [Fact(DisplayName = "Half a token's worth of time does not admit a call; a whole token's does")]
    [Trait("criterion", "bucket")]
    public void Fractional_refill_accumulates()
    {
        var limiter = Limiter(capacity: 4, tokensPerSecond: 2);
        Admitted(limiter, "k", 4);

        time.Advance(TimeSpan.FromMilliseconds(250));
        limiter.TryAcquire("k").Allowed.ShouldBeFalse("250 ms at 2 tokens/s refills half a token, not enough for a call");

        time.Advance(TimeSpan.FromMilliseconds(250));
        Admitted(limiter, "k", 3).ShouldBe(1, "after 500 ms in all, exactly one token has refilled");
    }

    [Fact(DisplayName = "Refill never goes above the capacity, however long the bucket was idle")]
    [Trait("criterion", "bucket")]
    public void Refill_is_capped()
    {
        var limiter = Limiter(capacity: 3, tokensPerSecond: 10);
        Admitted(limiter, "k", 3);

        time.Advance(TimeSpan.FromHours(1));

        Admitted(limiter, "k", 10).ShouldBe(3, "an hour idle refills the bucket to its capacity of 3, no more");
    }

    [Fact(DisplayName = "After a burst, calls are admitted at the refill rate, not a whole window at once")]
    [Trait("criterion", "bucket")]
    public void Steady_rate_after_burst()
    {
        var limiter = Limiter(capacity: 10, tokensPerSecond: 10);
        Admitted(limiter, "k", 10).ShouldBe(10);

        var perStep = new List<int>();
        for (var step = 0; step < 20; step++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            perStep.Add(Admitted(limiter, "k", 20));
        }

        perStep.ShouldAllBe(n => n == 1,
            $"at 10 tokens/s every 100 ms step should admit exactly 1 call; admitted per step: {string.Join(", ", perStep)}");
    }

    [Fact(DisplayName = "Several permits are taken together, or not at all")]
    [Trait("criterion", "bucket")]
    public void Multiple_permits()
    {
        var limiter = Limiter(capacity: 5, tokensPerSecond: 1);

        limiter.TryAcquire("k", 3).Allowed.ShouldBeTrue("3 of 5 tokens are available");
        limiter.TryAcquire("k", 3).Allowed.ShouldBeFalse("only 2 tokens are left, 3 were asked for");
        limiter.TryAcquire("k", 2).Allowed.ShouldBeTrue("a denied request takes nothing, so the 2 tokens are still there");
        limiter.TryAcquire("k").Allowed.ShouldBeFalse("the bucket is empty now");
    }

    [Fact(DisplayName = "Remaining counts the whole tokens left, down to zero")]
    [Trait("criterion", "decision")]
    public void Remaining_counts_down()
    {
        var limiter = Limiter(capacity: 4, tokensPerSecond: 1);

        var remaining = Enumerable.Range(0, 5).Select(_ => limiter.TryAcquire("k").Remaining).ToList();

        remaining.ShouldBe([3L, 2L, 1L, 0L, 0L], $"remaining after 5 calls on a bucket of 4: {string.Join(", ", remaining)}");
    }

    [Fact(DisplayName = "Remaining counts whole tokens rounded down, also when a fraction has refilled")]
    [Trait("criterion", "decision")]
    public void Remaining_rounds_down()
    {
        var limiter = Limiter(capacity: 4, tokensPerSecond: 1);
        Admitted(limiter, "k", 4);

        time.Advance(TimeSpan.FromMilliseconds(2750));
        var allowed = limiter.TryAcquire("k");
        time.Advance(TimeSpan.FromMilliseconds(100));
        var denied = limiter.TryAcquire("k", 2);

        allowed.Allowed.ShouldBeTrue("2.75 tokens have refilled");
        allowed.Remaining.ShouldBe(1L, "2.75 tokens less the one taken leave 1.75: one whole token");
        denied.Allowed.ShouldBeFalse("1.85 tokens are not enough for 2 permits");
        denied.Remaining.ShouldBe(1L, "1.85 tokens are one whole token");
    }

    [Fact(DisplayName = "Retry-after is the time until the missing tokens have refilled, counting partial refill")]
    [Trait("criterion", "decision")]
    public void Retry_after_counts_partial_refill()
    {
        var limiter = Limiter(capacity: 2, tokensPerSecond: 0.5);
        Admitted(limiter, "k", 2);
        time.Advance(TimeSpan.FromMilliseconds(500));

        var one = limiter.TryAcquire("k");
        var two = limiter.TryAcquire("k", 2);

        one.Allowed.ShouldBeFalse();
        one.RetryAfter.ShouldBe(TimeSpan.FromSeconds(1.5), TimeSpan.FromMilliseconds(1),
            "a quarter token has refilled; the missing 0.75 token takes 1.5 s at 0.5 tokens/s");
        two.RetryAfter.ShouldBe(TimeSpan.FromSeconds(3.5), TimeSpan.FromMilliseconds(1),
            "for 2 permits, 1.75 tokens are missing: 3.5 s at 0.5 tokens/s");
    }

    [Fact(DisplayName = "A caller that waits exactly the retry-after is admitted")]
    [Trait("criterion", "decision")]
    public void Waiting_retry_after_admits()
    {
        var limiter = Limiter(capacity: 2, tokensPerSecond: 0.5);
        Admitted(limiter, "k", 2);
        time.Advance(TimeSpan.FromMilliseconds(500));
        var denied = limiter.TryAcquire("k");
        denied.RetryAfter.ShouldBeGreaterThan(TimeSpan.Zero, "a denied call must say how long to wait");

        time.Advance(denied.RetryAfter);

        limiter.TryAcquire("k").Allowed.ShouldBeTrue($"the caller waited the {denied.RetryAfter.TotalSeconds:0.###} s it was told to");
    }

    [Fact(DisplayName = "An admitted call has no retry-after")]
    [Trait("criterion", "decision")]
    public void Allowed_has_zero_retry_after()
    {
        var decision = Limiter(capacity: 2, tokensPerSecond: 1).TryAcquire("k");

        decision.Allowed.ShouldBeTrue();
        decision.RetryAfter.ShouldBe(TimeSpan.Zero);
    }

    [Fact(DisplayName = "Asking for no permits, or more than the capacity, is an argument error")]
    [Trait("criterion", "decision")]
    public void Bad_permits_are_argument_errors()
    {
        var limiter = Limiter(capacity: 3, tokensPerSecond: 1);

        Should.Throw<ArgumentOutOfRangeException>(() => limiter.TryAcquire("k", 0), "0 permits");
        Should.Throw<ArgumentOutOfRangeException>(() => limiter.TryAcquire("k", 4), "4 permits can never fit a bucket of 3");
    }

    [Fact(DisplayName = "Draining one key leaves every other key's bucket full")]
    [Trait("criterion", "isolation")]
    public void Keys_are_isolated()
    {
        var limiter = Limiter(capacity: 3, tokensPerSecond: 1);
        Admitted(limiter, "tenant-a", 10).ShouldBe(3);

        Admitted(limiter, "tenant-b", 10).ShouldBe(3, "tenant-b never called before, so its bucket is full");
        limiter.TryAcquire("tenant-c").Remaining.ShouldBe(2L, "tenant-c's first call leaves 2 of its 3 tokens");
    }

    [Fact(DisplayName = "A hundred keys each get a bucket of their own")]
    [Trait("criterion", "isolation")]
    public void Many_keys()
    {
        var limiter = Limiter(capacity: 2, tokensPerSecond: 1);

        var admitted = Enumerable.Range(0, 100).Sum(i => Admitted(limiter, $"key-{i}", 3));

        admitted.ShouldBe(200, "100 keys with 2 tokens each should admit 200 of 300 calls");
    }

    [Fact(DisplayName = "Parallel callers on one key are never admitted beyond the capacity")]
    [Trait("criterion", "concurrency")]
    public void No_over_admission_on_one_key()
    {
        const int capacity = 100_000;
        ParallelCallers.EveryRoundRight(
            setup: _ => (Limiter: Limiter(capacity, tokensPerSecond: 1), Admitted: new long[1]),
            work: (round, tick) =>
            {
                // Call until denied: the clock does not move, so a correct bucket admits exactly its capacity in all.
                long mine = 0;
                while (round.Limiter.TryAcquire("shared").Allowed)
                {
                    mine++;
                    tick();
                }
                Interlocked.Add(ref round.Admitted[0], mine);
            },
            check: round => round.Admitted[0] == capacity ? null
                : $"{ParallelCallers.Threads} threads calling until denied were admitted {round.Admitted[0]} times on a bucket of {capacity}");
    }

    [Fact(DisplayName = "Parallel first calls on new keys create exactly one bucket per key")]
    [Trait("criterion", "concurrency")]
    public void One_bucket_per_new_key()
    {
        const int capacity = 3, keys = 3000;
        ParallelCallers.EveryRoundRight(
            setup: number => (Limiter: Limiter(capacity, tokensPerSecond: 1), Admitted: new int[keys], Prefix: $"round-{number}"),
            work: (round, tick) =>
            {
                for (var key = 0; key < keys; key++)
                    for (var call = 0; call < capacity; call++)
                    {
                        if (round.Limiter.TryAcquire($"{round.Prefix}-key-{key}").Allowed) Interlocked.Increment(ref round.Admitted[key]);
                        tick();
                    }
            },
            check: round =>
            {
                var wrong = Enumerable.Range(0, keys).Where(k => round.Admitted[k] != capacity).ToList();
                return wrong.Count == 0 ? null
                    : $"{wrong.Count} of {keys} new keys admitted other than {capacity} calls (key {wrong[0]}: {round.Admitted[wrong[0]]})";
            });
    }
}
