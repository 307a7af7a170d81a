using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using CodeLab.Sandbox;
using CodeLab.TestSupport;

namespace CodeLab.Calibration.Tests;

/// <summary>
/// The candidate's side of a service exercise: the workspace's one command (`dotnet run --project tests/LocalRun`)
/// runs the public tests against a real service and a real Redis. The starter fails them (the tests ran, and failed);
/// the reference copied over it passes them. Redis is the machine's redis-server when it is installed (LocalRun
/// starts and stops it, as on a candidate's machine), otherwise the project's own Redis from the sandbox image,
/// started as the grader starts it but on this host's loopback, and named to LocalRun through CODELAB_REDIS.
/// </summary>
[Trait("Category", "Docker")]
public sealed class ServiceWorkspaceCalibrationDockerTests
{
    public static TheoryData<string, string> Levels()
    {
        var data = new TheoryData<string, string>();
        foreach (var exercise in Catalog.Exercises.All)
            foreach (var level in exercise.AllLevels)
                if (exercise.ForLevel(level.Id).Kind == "service") data.Add(exercise.Id, level.Id);
        return data;
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public async Task The_starter_fails_the_public_tests_and_the_reference_passes_them(string exerciseId, string level)
    {
        Catalog.Start();
        using var written = CandidateWorkspace.Write(exerciseId, level);
        var workspace = written.Path;
        await using var redis = RedisServerInstalled() ? null : await ContainerRedis.StartAsync();
        var environment = redis?.Environment ?? new Dictionary<string, string>();

        // The command builds what it runs; building first, at the lowest priority, and running LocalRun and its `dotnet test`
        // with --no-build (after `--`: LocalRun hands it on) leaves only the service's own `dotnet run` its up-to-date check.
        await CandidateWorkspace.BuildAsync(workspace, "starter");
        var starter = await CandidateWorkspace.DotnetAsync(workspace, ["run", "--project", "tests/LocalRun", "--no-build", "--", "--no-build"], environment);
        starter.Output.ShouldContain("LocalRun: running the public tests", customMessage: $"the starter's service never became ready:\n{starter.Output}");
        starter.ExitCode.ShouldNotBe(0, $"the starter passes the public tests:\n{starter.Output}");
        starter.Output.ShouldContain("Failed!", customMessage: starter.Output);

        CandidateWorkspace.CopyOver(workspace, Catalog.Find(exerciseId, level, "reference").Folder);
        await CandidateWorkspace.BuildAsync(workspace, "solved");
        var solved = await CandidateWorkspace.DotnetAsync(workspace, ["run", "--project", "tests/LocalRun", "--no-build", "--", "--no-build"], environment);
        solved.ExitCode.ShouldBe(0, $"the public tests fail against the reference:\n{solved.Output}");
        solved.Output.ShouldContain("Passed!");
        solved.Output.ShouldContain("LocalRun: the public tests pass.");
    }

    static bool RedisServerInstalled() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(folder => File.Exists(Path.Combine(folder, "redis-server")));

    /// <summary>The sandbox image's redis-server, hardened like every sandbox container, on the host's loopback.</summary>
    sealed class ContainerRedis(SandboxContainer container, int port, string password) : IAsyncDisposable
    {
        public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
        {
            ["CODELAB_REDIS"] = $"127.0.0.1:{port}",
            ["CODELAB_REDIS_PASSWORD"] = password,
        };

        public static async Task<ContainerRedis> StartAsync()
        {
            var engine = await DockerSandbox.EngineAsync();
            var image = await DockerSandbox.ImageAsync();
            var port = FreePort();
            var password = RandomNumberGenerator.GetHexString(32, lowercase: true);
            var container = await SandboxContainer.StartAsync(engine, new SandboxRequest
            {
                Image = image.Tag,
                Role = "redis",
                Entrypoint = ["redis-server"],
                Command =
                [
                    "--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no", "--dir", "/tmp", "--databases", "1",
                    "--user", "default", "on", "nopass", "~*", "&*", "+@all", "-@dangerous", "+info",
                    "--user", "judge", "on", ">" + password, "~*", "&*", "+@all",
                ],
                // The host's network: a port published from an internal network is ignored, and the workspace runs on the host.
                Network = "host",
                Limits = new SandboxLimits { MemoryBytes = 256L * 1024 * 1024, Cpus = 1, Pids = 64, WallClock = TimeSpan.FromMinutes(20) },
            }, null, CancellationToken.None);
            var redis = new ContainerRedis(container, port, password);
            for (var clock = System.Diagnostics.Stopwatch.StartNew(); clock.Elapsed < TimeSpan.FromSeconds(20); await Task.Delay(100))
            {
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, port);
                    return redis;
                }
                catch (SocketException)
                {
                }
            }
            await redis.DisposeAsync();
            throw new InvalidOperationException($"The sandbox image's redis-server did not listen on 127.0.0.1:{port} within 20 s.");
        }

        static int FreePort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }

        public ValueTask DisposeAsync() => container.DisposeAsync();
    }
}
