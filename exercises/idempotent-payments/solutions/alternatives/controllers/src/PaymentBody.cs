using System.Text.Json;
using System.Text.RegularExpressions;

/// <summary>A validated payment body and its fingerprint (what makes two requests "the same").</summary>
public sealed partial record PaymentBody(long Amount, string Currency)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Fingerprint => $"{Amount}|{Currency}";

    /// <summary>
    /// The body if it is a positive whole amount and three upper-case letters, else null. Read by hand rather than
    /// by [FromBody], which would answer 415 to a body without a JSON content type where the statement asks for 400.
    /// </summary>
    public static async Task<PaymentBody?> ReadAsync(Stream body, CancellationToken cancellationToken)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            if (!root.TryGetProperty("amount", out var amount) || amount.ValueKind != JsonValueKind.Number || !amount.TryGetInt64(out var minor) || minor <= 0) return null;
            if (!root.TryGetProperty("currency", out var currency) || currency.ValueKind != JsonValueKind.String) return null;
            var code = currency.GetString()!;
            return CurrencyCode().IsMatch(code) ? new PaymentBody(minor, code) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public string Answer(string paymentId, string chargeId) =>
        JsonSerializer.Serialize(new { paymentId, chargeId, amount = Amount, currency = Currency }, Json);

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyCode();
}
