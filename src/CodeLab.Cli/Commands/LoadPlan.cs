using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using CodeLab.Grading;

namespace CodeLab.Cli.Commands;

/// <summary>`codelab load`'s arguments, checked: each problem is one line that says what to do.</summary>
internal sealed record LoadPlan(
    Uri Url, double? Rate, int? Copies, TimeSpan Duration, TimeSpan WarmUp, HttpMethod Method,
    IReadOnlyList<(string Name, string Value)> Headers, byte[]? Body, TimeSpan Timeout, int MaxInFlight, bool AllowRemote)
{
    public static LoadPlan Parse(string url, double? rate, int? copies, string duration, string warmUp, string method,
        string[] headers, string? bodyFile, string timeout, int maxInFlight, bool allowRemote)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new BadInputException($"'{url}' is not an http:// or https:// URL.");
        if (rate is null == copies is null)
            throw new BadInputException("give either --rate R (open model, calls per second) or --copies N (closed model), not both or neither.");
        if (rate is { } r && (!double.IsFinite(r) || r <= 0))
            throw new BadInputException($"--rate must be a positive number of calls per second (not {r.ToString(CultureInfo.InvariantCulture)}).");
        if (copies is < 1 or > 10_000) throw new BadInputException($"--copies must be between 1 and 10000 (not {copies}).");
        if (maxInFlight is < 1 or > 100_000) throw new BadInputException($"--max-in-flight must be between 1 and 100000 (not {maxInFlight}).");
        var parsedHeaders = headers.Select(h =>
        {
            var colon = h.IndexOf(':');
            if (colon <= 0) throw new BadInputException($"--header '{h}' is not 'Name: value'.");
            return (h[..colon].Trim(), h[(colon + 1)..].Trim());
        }).ToArray();
        byte[]? body = null;
        if (bodyFile is not null)
        {
            if (!File.Exists(bodyFile)) throw new BadInputException($"--body-file {bodyFile} does not exist.");
            body = File.ReadAllBytes(bodyFile);
        }
        var plan = new LoadPlan(uri, rate, copies, Span(duration, "--duration"), Span(warmUp, "--warmup", allowZero: true),
            new HttpMethod(method.Trim().ToUpperInvariant()), parsedHeaders, body, Span(timeout, "--timeout"), maxInFlight, allowRemote);
        if (plan.Duration > TimeSpan.FromHours(1)) throw new BadInputException("--duration is at most 1h.");
        plan.CreateRequest().Dispose(); // header names and values are checked here, before any load
        return plan;
    }

    /// <summary>10s, 500ms, 2m, 1h or a plain number of seconds.</summary>
    public static TimeSpan Span(string text, string option, bool allowZero = false)
    {
        var t = text.Trim().ToLowerInvariant();
        var (number, scale) = t.EndsWith("ms", StringComparison.Ordinal) ? (t[..^2], 0.001)
            : t.EndsWith('s') ? (t[..^1], 1.0)
            : t.EndsWith('m') ? (t[..^1], 60.0)
            : t.EndsWith('h') ? (t[..^1], 3600.0)
            : (t, 1.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < 0 || (!allowZero && value == 0))
            throw new BadInputException($"{option} '{text}' is not a {(allowZero ? "" : "positive ")}duration like 10s, 500ms or 2m.");
        return TimeSpan.FromSeconds(value * scale);
    }

    /// <summary>Refuses targets that are not this machine unless --allow-remote: a load test is an attack on someone else's server.</summary>
    public async Task CheckTargetAsync(CancellationToken ct)
    {
        if (AllowRemote) return;
        var host = Url.IdnHost;
        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal)) addresses = [literal];
        else if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return;
        else
        {
            try { addresses = await Dns.GetHostAddressesAsync(host, ct); }
            catch (System.Net.Sockets.SocketException) { throw new BadInputException($"{host} does not resolve; check the URL."); }
        }
        if (addresses.Length == 0 || !addresses.All(IPAddress.IsLoopback))
            throw new BadInputException($"{host} is not this machine; codelab load only targets loopback (127.0.0.1, ::1, localhost) unless you pass --allow-remote for an environment you own.");
    }

    public HttpRequestMessage CreateRequest()
    {
        var request = new HttpRequestMessage(Method, Url);
        if (Body is not null) request.Content = new ByteArrayContent(Body);
        foreach (var (name, value) in Headers)
        {
            try
            {
                if (IsContentHeader(name))
                {
                    request.Content ??= new ByteArrayContent([]);
                    request.Content.Headers.Remove(name);
                    request.Content.Headers.Add(name, value);
                }
                else
                {
                    request.Headers.Add(name, value);
                }
            }
            catch (FormatException ex)
            {
                throw new BadInputException($"--header '{name}: {value}' is not a valid header ({ex.Message}).");
            }
        }
        if (request.Content is not null && request.Content.Headers.ContentType is null)
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return request;
    }

    static bool IsContentHeader(string name) =>
        name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase) || name.Equals("Expires", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Last-Modified", StringComparison.OrdinalIgnoreCase) || name.Equals("Allow", StringComparison.OrdinalIgnoreCase);

    public string Describe()
    {
        var model = Rate is { } r
            ? $"open model, {r.ToString("0.###", CultureInfo.InvariantCulture)}/s"
            : $"closed model, {Copies} {(Copies == 1 ? "copy" : "copies")}";
        var warm = WarmUp > TimeSpan.Zero ? $" after {Seconds(WarmUp)} warm-up" : "";
        return $"{Method} {Url} - {model} for {Seconds(Duration)}{warm}";
    }

    static string Seconds(TimeSpan t) => $"{t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s";
}
