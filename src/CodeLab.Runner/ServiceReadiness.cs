using System.Diagnostics;

namespace CodeLab.Runner;

/// <summary>
/// Judge runs wait here until every replica of the candidate's service answers its health URL with 2xx, so a slow
/// start is never charged to the first test, and a service that never starts is one clear finding.
/// </summary>
internal static class ServiceReadiness
{
    public sealed record Outcome(string? Problem, TimeSpan Elapsed);

    public static async Task<Outcome> WaitAsync(IReadOnlyList<string> urls, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        foreach (var url in urls)
        {
            string last = "no answer yet";
            while (true)
            {
                try
                {
                    using var response = await client.GetAsync(url);
                    if (response.IsSuccessStatusCode) break;
                    last = $"answered {(int)response.StatusCode}";
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    last = ex is TaskCanceledException ? "did not answer within 2 s" : ex.InnerException?.Message ?? ex.Message;
                }
                var elapsed = Stopwatch.GetElapsedTime(started);
                if (elapsed >= timeout)
                    return new Outcome($"The service did not become ready within {timeout.TotalSeconds:0} s: GET {new Uri(url).PathAndQuery} on {new Uri(url).Host} {last}.", elapsed);
                await Task.Delay(100);
            }
        }
        return new Outcome(null, Stopwatch.GetElapsedTime(started));
    }
}
