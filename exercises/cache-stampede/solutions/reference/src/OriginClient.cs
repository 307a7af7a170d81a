using System.Text;

/// <summary>The origin over HTTP. Every failure becomes a 502 answer here, so the cache above never sees an exception.</summary>
sealed class OriginClient(Uri baseAddress)
{
    readonly HttpClient http = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };

    public Task<OriginAnswer> GetAsync(string id) => SendAsync(new HttpRequestMessage(HttpMethod.Get, Path(id)));

    public Task<OriginAnswer> PutAsync(string id, string json) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Put, Path(id)) { Content = new StringContent(json, Encoding.UTF8, "application/json") });

    static string Path(string id) => "/products/" + Uri.EscapeDataString(id);

    async Task<OriginAnswer> SendAsync(HttpRequestMessage request)
    {
        try
        {
            using (request)
            using (var response = await http.SendAsync(request))
            {
                var body = await response.Content.ReadAsStringAsync();
                var status = (int)response.StatusCode;
                return status >= 500 ? OriginAnswer.Failed($"HTTP {status}") : new OriginAnswer(status, body);
            }
        }
        catch (HttpRequestException ex)
        {
            return OriginAnswer.Failed(ex.Message);
        }
        catch (TaskCanceledException)
        {
            return OriginAnswer.Failed("no answer within 10 s");
        }
    }
}
