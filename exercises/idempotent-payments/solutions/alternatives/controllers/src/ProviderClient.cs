using System.Net.Http.Json;
using System.Text.Json;

/// <summary>The payment provider's API as a typed HttpClient (its address and time-out are set in Program.cs).</summary>
public sealed class ProviderClient(HttpClient http)
{
    /// <summary>The charge id, or null when the provider failed or could not be reached (nothing to store).</summary>
    public async Task<string?> ChargeAsync(PaymentBody payment, string reference, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.PostAsJsonAsync("/charges", new { amount = payment.Amount, currency = payment.Currency, reference }, cancellationToken);
            if (!response.IsSuccessStatusCode) return null;
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            return body.GetProperty("chargeId").GetString();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return null;
        }
    }
}
