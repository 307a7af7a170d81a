using System.Security.Cryptography;
using System.Text;

/// <summary>
/// Reads the raw body once, checks Webhook-Timestamp (within 300 s) and Webhook-Signature (v1=HMAC-SHA256 of
/// "timestamp.body") before the endpoint sees anything, and hands the body on in HttpContext.Items.
/// </summary>
public sealed class SignatureFilter(string secret, TimeProvider clock) : IEndpointFilter
{
    readonly byte[] key = Encoding.UTF8.GetBytes(secret);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer);
        var bytes = buffer.ToArray();
        if (!Verify(http.Request.Headers["Webhook-Timestamp"].ToString(), http.Request.Headers["Webhook-Signature"].ToString(), bytes))
            return Results.Unauthorized();
        http.Items["raw-body"] = Encoding.UTF8.GetString(bytes);
        return await next(context);
    }

    bool Verify(string timestamp, string header, byte[] body)
    {
        if (timestamp.Length is 0 or > 12 || !timestamp.All(char.IsAsciiDigit)) return false;
        if (Math.Abs(clock.GetUtcNow().ToUnixTimeSeconds() - long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture)) > 300) return false;
        const string Scheme = "v1=";
        if (!header.StartsWith(Scheme, StringComparison.Ordinal) || header.Length != Scheme.Length + 64) return false;
        var given = new byte[32];
        if (Convert.FromHexString(header.AsSpan(Scheme.Length), given, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32) return false;
        using var hmac = new HMACSHA256(key);
        var signed = new byte[Encoding.UTF8.GetByteCount(timestamp) + 1 + body.Length];
        var n = Encoding.UTF8.GetBytes(timestamp, signed);
        signed[n] = (byte)'.';
        body.CopyTo(signed, n + 1);
        return CryptographicOperations.FixedTimeEquals(hmac.ComputeHash(signed), given);
    }
}
