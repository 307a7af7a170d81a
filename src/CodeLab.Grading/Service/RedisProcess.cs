namespace CodeLab.Grading;

/// <summary>
/// How the grade's Redis is run, stopped and started. The container outlives its redis-server, the way a host
/// outlives its Redis process: while Redis is "stopped" the name <c>redis</c> still resolves and its port refuses
/// connections at once. Stopping the container instead took its name out of Docker's DNS, and on the grade's
/// internal network a lookup of a missing name hangs for 20 s (measured: getaddrinfo forwarding to resolvers it
/// cannot reach). Redis clients resolve synchronously on thread-pool threads, so every reconnect attempt held a
/// thread of the candidate's service (and of the judge) for 20 s: a correct service with a 400 ms time-out answered
/// in 2.2 s, starved of threads, and lost its outage points to the grading world rather than to its own code.
/// </summary>
static class RedisProcess
{
    const string PidFile = "/tmp/redis.pid";

    /// <summary>True while something accepts connections on Redis's port inside the container.</summary>
    const string Listening = "(exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null";

    /// <summary>
    /// PID 1 of the Redis container: starts redis-server with the arguments after it and stays (reaping what the
    /// stop command kills) until the container is stopped.
    /// </summary>
    public static IReadOnlyList<string> Entrypoint =>
    [
        "bash", "-c",
        $"trap 'kill -TERM $(cat {PidFile}) 2>/dev/null; exit 0' TERM INT; redis-server \"$@\" & echo $! > {PidFile}; while :; do sleep infinity & wait $!; done",
        "redis-supervisor",
    ];

    /// <summary>Kills redis-server (nothing kept: it runs without persistence) and returns once its port refuses connections.</summary>
    public static IReadOnlyList<string> Stop =>
    [
        "bash", "-c",
        $"kill -KILL $(cat {PidFile}); for i in $(seq 250); do {Listening} || exit 0; sleep 0.02; done; echo 'redis-server still accepts connections 5 s after it was killed' >&2; exit 1",
    ];

    /// <summary>Starts an empty redis-server with <paramref name="arguments"/> and returns once it accepts connections.</summary>
    public static IReadOnlyList<string> Start(IReadOnlyList<string> arguments) =>
    [
        "bash", "-c",
        $"nohup redis-server \"$@\" >/dev/null 2>&1 & echo $! > {PidFile}; for i in $(seq 250); do {Listening} && exit 0; sleep 0.02; done; echo 'redis-server did not accept connections within 5 s of its start' >&2; exit 1",
        "redis-start",
        .. arguments,
    ];
}
