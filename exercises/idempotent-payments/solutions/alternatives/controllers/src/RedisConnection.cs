using Microsoft.Extensions.Options;
using StackExchange.Redis;

/// <summary>Connects to Redis in the background when the host starts, so start-up never blocks on it;
/// /health says 503 until the connection is up.</summary>
public sealed class RedisConnection(IOptions<ServiceOptions> options, ILogger<RedisConnection> logger) : BackgroundService
{
    readonly TaskCompletionSource<IConnectionMultiplexer> connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsConnected => connected.Task.IsCompletedSuccessfully && connected.Task.Result.IsConnected;

    public async Task<IDatabase> DatabaseAsync() => (await connected.Task).GetDatabase();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // abortConnect=false: the multiplexer keeps trying in the background if Redis is not there yet.
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(options.Value.RedisConnection + ",abortConnect=false");
        if (!multiplexer.IsConnected) logger.LogWarning("Redis at {Endpoint} is not reachable yet; retrying in the background", options.Value.RedisConnection);
        connected.SetResult(multiplexer);
    }

    public override void Dispose()
    {
        if (connected.Task.IsCompletedSuccessfully) connected.Task.Result.Dispose();
        base.Dispose();
    }
}
