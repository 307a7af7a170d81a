using System.Net.Http.Json;
using System.Text.Json;

/// <summary>The payment provider's API: one charge per call.</summary>
public sealed class PaymentProvider(Uri baseAddress)
{
    readonly HttpClient http = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>The charge id, or null when the provider answered a failure (nothing to store).</summary>
    public async Task<string?> ChargeAsync(PaymentRequest payment, string reference)
    {
        // Handles a failed status, but lets a connection failure escape: the endpoint answers 500.
        using var response = await http.PostAsJsonAsync("/charges", new { amount = payment.Amount, currency = payment.Currency, reference });
        if (!response.IsSuccessStatusCode) return null;
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("chargeId").GetString();
    }
}
