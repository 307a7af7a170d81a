using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

/// <summary>The service's configuration, bound from the environment variables the statement names.</summary>
public sealed class ServiceOptions
{
    [Required, ConfigurationKeyName("REDIS_CONNECTION")]
    public string RedisConnection { get; set; } = "";

    [Required, Url, ConfigurationKeyName("PAYMENT_PROVIDER_URL")]
    public string PaymentProviderUrl { get; set; } = "";
}
