using System.Net.Http.Headers;

namespace CodeLab.Judge;

/// <summary>The candidate's service as the hidden tests see it: one client per replica, all on the grade's network.</summary>
public static class Service
{
    static readonly Lazy<IReadOnlyList<HttpClient>> clients = new(() =>
        JudgeEnvironment.Get(JudgeEnvironment.ServiceUrls, "http://app-1:8080")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(url => CreateClient(new Uri(url)))
            .ToList());

    /// <summary>A client of the first (or only) replica.</summary>
    public static HttpClient Client => clients.Value[0];

    /// <summary>Clients of every replica, in order.</summary>
    public static IReadOnlyList<HttpClient> Replicas => clients.Value;

    /// <summary>A fresh client with its own connections (for callers that must not share a connection pool).</summary>
    public static HttpClient CreateClient(Uri baseAddress) => new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        MaxConnectionsPerServer = 256,
        ConnectTimeout = TimeSpan.FromSeconds(5),
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(15),
        DefaultRequestHeaders = { Accept = { new MediaTypeWithQualityHeaderValue("application/json") } },
    };
}
