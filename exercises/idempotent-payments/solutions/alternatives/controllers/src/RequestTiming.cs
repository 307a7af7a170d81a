using System.Diagnostics;

/// <summary>
/// A convention-based middleware (added with UseMiddleware&lt;T&gt;): each request is an Activity for tracing and is
/// timed with Stopwatch; slow ones are logged.
/// </summary>
public sealed class RequestTiming(RequestDelegate next, ILogger<RequestTiming> logger)
{
    static readonly ActivitySource Source = new("Payments");
    static readonly TimeSpan Slow = TimeSpan.FromSeconds(1);

    public async Task InvokeAsync(HttpContext context)
    {
        using var activity = Source.StartActivity($"{context.Request.Method} {context.Request.Path}");
        var started = Stopwatch.GetTimestamp();
        await next(context);
        var elapsed = Stopwatch.GetElapsedTime(started);
        activity?.SetTag("http.response.status_code", context.Response.StatusCode);
        if (elapsed > Slow)
            logger.LogWarning("{Method} {Path} took {Milliseconds:0} ms", context.Request.Method, context.Request.Path, elapsed.TotalMilliseconds);
    }
}
