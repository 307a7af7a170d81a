using System.Security.Cryptography;
using System.Text;

namespace CodeLab.Judge;

/// <summary>
/// The judge's webhook sender: it signs like the common providers do. <c>Webhook-Timestamp</c> carries Unix seconds,
/// <c>Webhook-Signature</c> carries <c>v1=</c> and the lower-case hex HMAC-SHA256 of <c>"{timestamp}.{raw body}"</c>
/// keyed with the shared secret (the service reads it from WEBHOOK_SECRET). It can also sign wrongly, send stale
/// timestamps or leave headers out, for the tests that check the service refuses those.
/// </summary>
public static class WebhookSender
{
    /// <summary>The secret the grade gives the service (exercise.json's WEBHOOK_SECRET); tests may override it with the variable.</summary>
    public static string Secret => JudgeEnvironment.Get("WEBHOOK_SECRET", "whsec_codelab_5b1d0c9e7f3a4e21");

    public const string TimestampHeader = "Webhook-Timestamp";
    public const string SignatureHeader = "Webhook-Signature";

    static readonly string[] Types = ["payment.succeeded", "payment.refunded", "invoice.paid", "payout.sent"];

    /// <summary>Now, in Unix seconds.</summary>
    public static long Now() => TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();

    public static string NewId() => "evt_" + Guid.NewGuid().ToString("N");

    public static string NewAccount() => "acct_" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A new event: a fresh id, one of a few types, an amount; for a given account and sequence when asked.</summary>
    public static WebhookEvent NewEvent(string? account = null, long sequence = 1) =>
        new(NewId(), Types[Random.Shared.Next(Types.Length)], account ?? NewAccount(), sequence, Random.Shared.NextInt64(100, 100_000));

    /// <summary>v1= and the hex HMAC-SHA256 of "{timestamp}.{body}" under <paramref name="secret"/> (default: the shared one).</summary>
    public static string Sign(long timestamp, string body, string? secret = null)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret ?? Secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}"));
        return "v1=" + Convert.ToHexStringLower(mac);
    }

    /// <summary>POST /webhooks with <paramref name="body"/>, signed correctly for now.</summary>
    public static HttpRequestMessage SignedRequest(string body)
    {
        var now = Now();
        return Request(body, now.ToString(System.Globalization.CultureInfo.InvariantCulture), Sign(now, body));
    }

    /// <summary>POST /webhooks with exactly these headers (a null header is left out) and body.</summary>
    public static HttpRequestMessage Request(string body, string? timestamp, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (timestamp is not null) request.Headers.TryAddWithoutValidation(TimestampHeader, timestamp);
        if (signature is not null) request.Headers.TryAddWithoutValidation(SignatureHeader, signature);
        return request;
    }
}
