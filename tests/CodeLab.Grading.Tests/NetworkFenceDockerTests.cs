using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using CodeLab.Exercises;
using CodeLab.Sandbox;
using CodeLab.Sandbox.Engine;
using CodeLab.TestSupport;

namespace CodeLab.Grading.Tests;

/// <summary>
/// A service grade's network against a real listener on this host: from a container on the grade's network, the
/// host must not answer at all (no accept, no reset), while Docker's DNS and the other containers still answer.
/// A control network without the fence shows the probe does reach the host when nothing stops it.
/// </summary>
[Trait("Category", "Docker")]
public sealed class NetworkFenceDockerTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static readonly ServiceSettings RedisOnly = new(Redis: true, Replicas: 1, ReadyPath: "/health", ReadyTimeoutSeconds: 30, FakeHosts: [], Environment: new Dictionary<string, string>());

    [Fact]
    public async Task Nothing_on_the_host_answers_from_a_grade_network_while_DNS_and_the_other_containers_do()
    {
        var engine = await DockerSandbox.EngineAsync();
        var image = await DockerSandbox.ImageAsync();
        using var listener = new HostListener();
        var closedPort = FreePort();
        var fence = new HostFence();

        string bridge;
        await using (var world = await ServiceWorld.StartAsync(engine, fence, image.Tag, RedisOnly, LevelLimits.Default, 0, Ct))
        {
            bridge = world.BridgeName;
            (await fence.ListAsync(Ct)).ShouldContain(r => r.Bridge == bridge, "the fence is up while the grade runs");
            var gateway = await GatewayAsync(engine, world.NetworkName);

            var lines = await ProbeAsync(engine, image.Tag, world.NetworkName, gateway, listener.Port, closedPort);

            // 124 is timeout's exit code: the connection attempt got no answer at all. 1 would be a refusal, i.e. a
            // reset sent by the host, which is an answer too.
            lines.ShouldContain("host-listener:124", string.Join(" | ", lines));
            lines.ShouldContain("host-closed-port:124", string.Join(" | ", lines));
            listener.Accepted.ShouldBe(0, "the host's listener accepted a connection from the grade network");
            lines.ShouldContain("redis:connected", string.Join(" | ", lines));
            lines.ShouldContain("PONG", "Docker's DNS (redis by name) and the Redis container still answer: " + string.Join(" | ", lines));
        }

        (await fence.ListAsync(Ct)).ShouldNotContain(r => r.Bridge == bridge, "the fence comes down with its network");
        (await DockerSandbox.LeftBehindAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Without_the_fence_the_same_probe_reaches_the_host()
    {
        // The control: proves the probe above would see the host if the fence were missing (as it did before).
        var engine = await DockerSandbox.EngineAsync();
        var image = await DockerSandbox.ImageAsync();
        using var listener = new HostListener();
        var name = "codelab-net-control-" + Guid.NewGuid().ToString("N")[..8];
        var id = await engine.CreateNetworkAsync(new NetworkSpec(name, Internal: true, SandboxLabels.For("network")), Ct);
        try
        {
            var gateway = await GatewayAsync(engine, name);
            var lines = await ProbeAsync(engine, image.Tag, name, gateway, listener.Port, FreePort());

            lines.ShouldContain("host-listener:connected", string.Join(" | ", lines));
            lines.ShouldContain("host-closed-port:1", "a closed port answers with a reset when nothing fences the host: " + string.Join(" | ", lines));
            await listener.WaitForAcceptAsync();
        }
        finally
        {
            await engine.RemoveNetworkAsync(id, CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_grade_fails_closed_when_the_fence_cannot_go_up()
    {
        var engine = await DockerSandbox.EngineAsync();
        var image = await DockerSandbox.ImageAsync();
        var broken = new HostFence("/nonexistent/iptables", "/nonexistent/ip6tables");

        (await broken.ProblemAsync(Ct)).ShouldNotBeNull().ShouldContain("Cannot isolate grade networks from the host");
        var failure = await Should.ThrowAsync<InfrastructureException>(() => ServiceWorld.StartAsync(engine, broken, image.Tag, RedisOnly, LevelLimits.Default, 0, Ct));
        failure.Message.ShouldContain("iptables");
        (await DockerSandbox.LeftBehindAsync()).ShouldBeEmpty("nothing started without the fence");
    }

    [Fact]
    public async Task The_reaper_takes_down_a_fence_whose_network_and_owner_are_gone()
    {
        var engine = await DockerSandbox.EngineAsync();
        var fence = new HostFence();
        var bridge = HostFence.BridgeNameFor(Guid.NewGuid().ToString("N"));
        // A fence left by a grader that died after its network was removed: its owner is a process that has exited.
        using var gone = System.Diagnostics.Process.Start("true");
        await gone.WaitForExitAsync(Ct);
        await RunAsync("iptables", "-w", "-I", "INPUT", "-i", bridge, "-m", "comment", "--comment", $"codelab-fence {Environment.MachineName}:{gone.Id}", "-j", "DROP");
        (await fence.ListAsync(Ct)).ShouldContain(r => r.Bridge == bridge);

        await new SandboxReaper(engine, TimeProvider.System, fence).ReapAsync(Ct);

        (await fence.ListAsync(Ct)).ShouldNotContain(r => r.Bridge == bridge);
    }

    static async Task<List<string>> ProbeAsync(IContainerEngine engine, string image, string network, string gateway, int port, int closedPort)
    {
        // bash's /dev/tcp and redis-cli are in the sandbox image; the probe runs as the candidate would: a hardened
        // sandbox container on the grade's network.
        var script =
            $"timeout 3 bash -c 'exec 3<>/dev/tcp/{gateway}/{port}' 2>/dev/null && echo host-listener:connected || echo host-listener:$?; " +
            $"timeout 3 bash -c 'exec 3<>/dev/tcp/{gateway}/{closedPort}' 2>/dev/null && echo host-closed-port:connected || echo host-closed-port:$?; " +
            "timeout 3 bash -c 'exec 3<>/dev/tcp/redis/6379' 2>/dev/null && echo redis:connected || echo redis:$?; " +
            "timeout 3 redis-cli -h redis ping";
        var lines = new ConcurrentQueue<string>();
        await using var probe = await SandboxContainer.StartAsync(engine, new SandboxRequest
        {
            Image = image,
            Role = "probe",
            Entrypoint = ["/bin/bash", "-c"],
            Command = [script],
            Network = network,
            Limits = new SandboxLimits { WallClock = TimeSpan.FromSeconds(30) },
        }, lines.Enqueue, Ct);
        await probe.WaitAsync(CancellationToken.None, Ct);
        return lines.ToList();
    }

    static async Task<string> GatewayAsync(IContainerEngine engine, string network) =>
        (await engine.ListNetworksAsync(SandboxLabels.Marker, Ct)).Single(n => n.Name == network).Gateway
        ?? throw new InvalidOperationException($"the engine did not say the gateway of {network}");

    static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Any, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    static async Task RunAsync(string tool, params string[] arguments)
    {
        using var process = System.Diagnostics.Process.Start(tool, arguments);
        await process.WaitForExitAsync(Ct);
        process.ExitCode.ShouldBe(0, $"{tool} {string.Join(' ', arguments)}");
    }

    /// <summary>A TCP listener on every host address (as sshd or a database would be), counting what it accepts.</summary>
    sealed class HostListener : IDisposable
    {
        readonly TcpListener listener = new(IPAddress.Any, 0);
        readonly TaskCompletionSource firstAccept = new(TaskCreationOptions.RunContinuationsAsynchronously);
        int accepted;

        public HostListener()
        {
            listener.Start();
            _ = AcceptLoopAsync();
        }

        public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

        public int Accepted => Volatile.Read(ref accepted);

        /// <summary>The probe already saw its connection made; the 60 s only guard against a hang on a busy machine.</summary>
        public Task WaitForAcceptAsync() => firstAccept.Task.WaitAsync(TimeSpan.FromSeconds(60), Ct);

        async Task AcceptLoopAsync()
        {
            try
            {
                while (true)
                {
                    using var client = await listener.AcceptTcpClientAsync();
                    Interlocked.Increment(ref accepted);
                    firstAccept.TrySetResult();
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Stopped.
            }
        }

        public void Dispose() => listener.Stop();
    }
}
