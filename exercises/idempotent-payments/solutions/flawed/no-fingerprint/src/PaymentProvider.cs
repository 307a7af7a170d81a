using System.Net.Http.Json;
using System.Text.Json;

/// <summary>The payment provider's API: one charge per call.</summary>
public sealed class PaymentProvider(Uri baseAddress)
{
    readonly HttpClient http = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>The charge id, or null when the provider failed or could not be reached (nothing to store).</summary>
    public async Task<string?> ChargeAsync(PaymentRequest payment, string reference)
    {
        try
        {
            using var response = await http.PostAsJsonAsync("/charges", new { amount = payment.Amount, currency = payment.Currency, reference });
            if (!response.IsSuccessStatusCode) return null;
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            return body.GetProperty("chargeId").GetString();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }
}
