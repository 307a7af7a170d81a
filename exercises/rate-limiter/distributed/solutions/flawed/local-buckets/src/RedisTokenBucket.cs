using System.Collections.Concurrent;

/// <summary>Whether a request was admitted, the whole tokens left, and how long until the next token.</summary>
sealed record Decision(bool Allowed, long Remaining, TimeSpan RetryAfter);

/// <summary>A token bucket per tenant in this process's memory: exact and thread-safe, but one per instance.</summary>
sealed class RedisTokenBucket(BucketLimit limit)
{
    sealed class Bucket(double tokens, long at)
    {
        public double Tokens = tokens;
        public long At = at;
    }

    readonly ConcurrentDictionary<string, Bucket> buckets = new();

    public Task<Decision?> TryAcquireAsync(string tenant, CancellationToken cancellationToken)
    {
        var now = Environment.TickCount64;
        var bucket = buckets.GetOrAdd(tenant, _ => new Bucket(limit.Capacity, now));
        lock (bucket)
        {
            bucket.Tokens = Math.Min(limit.Capacity, bucket.Tokens + (now - bucket.At) * limit.RefillPerSecond / 1000.0);
            bucket.At = now;
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                return Task.FromResult<Decision?>(new Decision(true, (long)bucket.Tokens, TimeSpan.Zero));
            }
            var wait = TimeSpan.FromSeconds((1 - bucket.Tokens) / limit.RefillPerSecond);
            return Task.FromResult<Decision?>(new Decision(false, 0, wait));
        }
    }
}
