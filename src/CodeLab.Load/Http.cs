using System.Buffers;
using System.Net;

namespace CodeLab.Load;

/// <summary>HTTP calls for scenarios: a client tuned for load and a send that turns the outcome into a <see cref="Response"/>.</summary>
public static class Http
{
    /// <summary>
    /// Keep-alive connections, no proxy, no cookies, no redirects, no decompression: the generator measures the target,
    /// not its own conveniences. <paramref name="maxConnections"/> bounds the open connections.
    /// </summary>
    public static HttpClient CreateClient(int maxConnections = 1024, TimeSpan? timeout = null)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };
        return new HttpClient(handler) { Timeout = timeout ?? TimeSpan.FromSeconds(30) };
    }

    /// <summary>Sends and reads the whole body. 1xx-3xx are ok; 4xx/5xx, time-outs and connection errors are failures.</summary>
    public static async Task<Response> SendAsync(HttpClient client, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var size = await DrainAsync(response, cancellationToken).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            return code < 400 ? Response.Ok(code, size) : Response.Fail(code, $"HTTP {code}", size);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Response.Fail(message: $"time-out after {client.Timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException ex)
        {
            return Response.Fail(message: ex.HttpRequestError == HttpRequestError.Unknown ? ex.Message : $"{ex.HttpRequestError}: {ex.Message}");
        }
        finally
        {
            request.Dispose();
        }
    }

    static async Task<long> DrainAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                long total = 0;
                int read;
                while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0) total += read;
                return total;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
