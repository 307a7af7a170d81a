using System.Text;

namespace CodeLab.Judge;

/// <summary>
/// The one source of payment traffic for hidden tests and load scenarios alike: the same key shape, the same
/// spread of amounts and currencies, the same request, no marker. A service cannot tell a load call from a test
/// call by what it receives, so it cannot be fast (or correct) only for the calls that are measured.
/// </summary>
public static class PaymentTraffic
{
    static readonly string[] Currencies = ["EUR", "USD", "GBP", "CHF", "SEK"];

    public static string NewKey() => "key-" + Guid.NewGuid().ToString("N");

    /// <summary>A new payment: a fresh key, an amount from 1.00 to 999.99 and one of a few currencies.</summary>
    public static Payment NewPayment() => new(NewKey(), Random.Shared.NextInt64(100, 100_000), Currencies[Random.Shared.Next(Currencies.Length)]);

    /// <summary>The same key with another body (another amount, and sometimes another currency): a misuse of the key.</summary>
    public static Payment Changed(Payment payment, bool currency = false) => currency
        ? payment with { Currency = Currencies.First(c => c != payment.Currency) }
        : payment with { Amount = payment.Amount % 99_899 + 101 };

    /// <summary>POST /payments with an optional Idempotency-Key and a JSON body.</summary>
    public static HttpRequestMessage Request(string? key, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/payments") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return request;
    }
}
