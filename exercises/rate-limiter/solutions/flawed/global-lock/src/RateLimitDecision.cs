namespace Throttling;

/// <summary>The answer to one request for permits.</summary>
/// <param name="Allowed">Whether the permits were granted (and taken from the bucket).</param>
/// <param name="Remaining">Whole tokens left in the bucket after this decision.</param>
/// <param name="RetryAfter">When denied: how long until the same request would be granted. Zero when allowed.</param>
public sealed record RateLimitDecision(bool Allowed, long Remaining, TimeSpan RetryAfter);
