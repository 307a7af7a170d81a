namespace Throttling;

/// <summary>
/// The limit of one bucket: it holds at most <paramref name="Capacity"/> tokens and gains
/// <paramref name="TokensPerSecond"/> tokens per second (fractions accumulate) until it is full again.
/// </summary>
public sealed record BucketLimit(int Capacity, double TokensPerSecond);
