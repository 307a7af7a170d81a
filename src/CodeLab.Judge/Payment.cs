using System.Text;
using System.Text.Json;

namespace CodeLab.Judge;

/// <summary>One logical payment a client makes: its idempotency key and its body. Retries send it again unchanged.</summary>
public sealed record Payment(string Key, long Amount, string Currency)
{
    public string Json => JsonSerializer.Serialize(new { amount = Amount, currency = Currency });

    /// <summary>POST /payments with this payment's key and body, exactly as every hidden test and load scenario sends it.</summary>
    public HttpRequestMessage Request() => PaymentTraffic.Request(Key, Json);
}
