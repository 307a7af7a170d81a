namespace Throttling;

/// <summary>
/// Rate limits per tenant, bound from configuration, for example:
/// <code>
/// "RateLimiting": {
///   "Default": { "Capacity": 10, "TokensPerSecond": 1 },
///   "Tenants": { "acme": { "Capacity": 100, "TokensPerSecond": 20 } },
///   "IdleTimeout": "00:10:00"
/// }
/// </code>
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>The limit of every tenant not listed in <see cref="Tenants"/>.</summary>
    public BucketLimit Default { get; set; } = new(10, 1);

    /// <summary>Limits of named tenants (tenant ids are case-sensitive).</summary>
    public Dictionary<string, BucketLimit> Tenants { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A tenant's bucket that is full again and has not been used for this long may be dropped from memory.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
