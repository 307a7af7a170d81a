using System.Text.Json;
using System.Text.RegularExpressions;

/// <summary>A validated payment request and its fingerprint (what makes two requests "the same").</summary>
public sealed record PaymentRequest(long Amount, string Currency)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Fingerprint => $"{Amount}|{Currency}";

    /// <summary>The body if it is a positive whole amount and a three-letter upper-case currency, else null.</summary>
    public static async Task<PaymentRequest?> ReadAsync(HttpRequest http)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            // A whole value is a whole value, however it is written: 1250.0 passes as 1250.
            if (!root.TryGetProperty("amount", out var amount) || amount.ValueKind != JsonValueKind.Number || !amount.TryGetDecimal(out var value) || value % 1 != 0 || value <= 0 || value > long.MaxValue) return null;
            var minor = (long)value;
            if (!root.TryGetProperty("currency", out var currency) || currency.ValueKind != JsonValueKind.String) return null;
            var code = currency.GetString()!;
            return Regex.IsMatch(code, "^[A-Z]{3}$") ? new PaymentRequest(minor, code) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string Answer(string paymentId, string chargeId, PaymentRequest payment) =>
        JsonSerializer.Serialize(new { paymentId, chargeId, amount = payment.Amount, currency = payment.Currency }, Json);
}
