using System.Collections.Concurrent;
using System.Text;
using CodeLab.Sandbox;
using CodeLab.Sandbox.Engine;
using CodeLab.TestSupport;

namespace CodeLab.Sandbox.Tests;

/// <summary>The sandbox against the real engine and image: limits hold, output is capped, nothing is left behind.</summary>
[Trait("Category", "Docker")]
public sealed class SandboxContainerDockerTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static async Task<(SandboxResult Result, List<string> Lines)> RunShellAsync(string script, SandboxLimits? limits = null, string stdin = "", int maxStdout = 8 * 1024 * 1024, CancellationToken stop = default)
    {
        var engine = await DockerSandbox.EngineAsync();
        var image = await DockerSandbox.ImageAsync();
        var lines = new ConcurrentQueue<string>();
        var request = new SandboxRequest
        {
            Image = image.Tag,
            Role = "test",
            Entrypoint = ["/bin/sh", "-c"],
            Command = [script],
            Limits = limits ?? new SandboxLimits { WallClock = TimeSpan.FromSeconds(30) },
            Stdin = Encoding.UTF8.GetBytes(stdin),
            MaxStdoutBytes = maxStdout,
        };
        await using var container = await SandboxContainer.StartAsync(engine, request, lines.Enqueue, Ct);
        var result = await container.WaitAsync(stop, Ct);
        return (result, lines.ToList());
    }

    [Fact]
    public async Task Runs_a_command_and_reports_its_exit_code_and_output()
    {
        var (result, lines) = await RunShellAsync("echo hello; echo oops >&2; exit 3");
        result.ExitCode.ShouldBe(3);
        lines.ShouldBe(["hello"]);
        result.Stderr.ShouldContain("oops");
        result.TimedOut.ShouldBeFalse();
    }

    [Fact]
    public async Task Stdin_reaches_the_process_and_is_then_closed()
    {
        var (result, lines) = await RunShellAsync("cat; echo end", stdin: "line one\nline two\n");
        result.ExitCode.ShouldBe(0);
        lines.ShouldBe(["line one", "line two", "end"]);
    }

    [Fact]
    public async Task Runs_as_nobody_without_capabilities_network_or_writable_root()
    {
        var (_, lines) = await RunShellAsync(
            "id -u; grep CapEff /proc/self/status | tr -d '\\t'; ls /sys/class/net; touch /x 2>/dev/null && echo root-writable || echo root-read-only; " +
            "touch /tmp/x && echo tmp-writable; grep NoNewPrivs /proc/self/status | tr -d '\\t'");
        lines.ShouldBe(["65534", "CapEff:0000000000000000", "lo", "root-read-only", "tmp-writable", "NoNewPrivs:1"]);
    }

    [Fact]
    public async Task A_process_that_never_ends_is_killed_at_its_wall_clock()
    {
        var (result, _) = await RunShellAsync("sleep 120", new SandboxLimits { WallClock = TimeSpan.FromSeconds(2) });
        result.TimedOut.ShouldBeTrue();
        result.Wall.ShouldBeLessThan(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task The_caller_can_stop_a_run_early()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var (result, _) = await RunShellAsync("sleep 120", stop: stop.Token);
        result.StoppedByCaller.ShouldBeTrue();
        result.TimedOut.ShouldBeFalse();
    }

    [Fact]
    public async Task Memory_beyond_the_limit_is_killed_and_reported_as_out_of_memory()
    {
        // Holds 256 MiB in a shell variable inside a 64 MiB container.
        var (result, lines) = await RunShellAsync(
            "x=$(head -c 268435456 /dev/zero | tr '\\0' a); echo survived",
            new SandboxLimits { MemoryBytes = 64L * 1024 * 1024, WallClock = TimeSpan.FromSeconds(60) });
        result.OomKilled.ShouldBeTrue($"exit code {result.ExitCode}, stderr: {result.Stderr}");
        lines.ShouldNotContain("survived");
    }

    [Fact]
    public async Task A_fork_bomb_hits_the_process_limit()
    {
        // dash gives up with "Cannot fork" when the pids limit is reached; without the limit all 200 would start.
        var (result, lines) = await RunShellAsync(
            "for i in $(seq 1 200); do sleep 20 & done; echo all-started",
            new SandboxLimits { Pids = 32, WallClock = TimeSpan.FromSeconds(30) });
        result.TimedOut.ShouldBeFalse();
        result.Stderr.ShouldContain("fork", Case.Insensitive);
        lines.ShouldNotContain("all-started");
    }

    [Fact]
    public async Task An_output_flood_is_capped_and_counted()
    {
        var (result, lines) = await RunShellAsync("head -c 20000000 /dev/zero | tr '\\0' 'y' | fold -w 100; echo", maxStdout: 1024 * 1024);
        result.ExitCode.ShouldBe(0);
        result.StdoutBytes.ShouldBeGreaterThan(20_000_000);
        result.DroppedOutputBytes.ShouldBeGreaterThan(18_000_000);
        // Kept lines are separated by newlines; the last kept one may be cut by the cap and have none.
        (lines.Sum(l => l.Length) + lines.Count - 1).ShouldBeLessThanOrEqualTo(1024 * 1024);
    }

    [Fact]
    public async Task The_container_is_removed_after_use_and_carries_the_codelab_labels()
    {
        var engine = await DockerSandbox.EngineAsync();
        var image = await DockerSandbox.ImageAsync();
        var request = new SandboxRequest { Image = image.Tag, Role = "test", Entrypoint = ["/bin/sh", "-c"], Command = ["sleep 30"] };
        string id;
        await using (var container = await SandboxContainer.StartAsync(engine, request, null, Ct))
        {
            id = container.Id;
            var listed = (await engine.ListContainersAsync(SandboxLabels.Marker, Ct)).Single(c => c.Id == id);
            listed.Labels[SandboxLabels.Owner].ShouldBe(SandboxLabels.CurrentOwner);
            listed.Labels[SandboxLabels.Role].ShouldBe("test");
        }
        (await engine.ListContainersAsync(SandboxLabels.Marker, Ct)).ShouldNotContain(c => c.Id == id);
    }

    [Fact]
    public async Task A_removal_that_returns_means_the_container_is_gone_even_when_another_removal_is_under_way()
    {
        var engine = await DockerSandbox.EngineAsync();
        var image = await DockerSandbox.ImageAsync();
        var labels = SandboxLabels.For("test");
        var id = await engine.CreateContainerAsync(new ContainerSpec { Image = image.Tag, Labels = labels, Entrypoint = ["/bin/sh", "-c"], Command = ["sleep 30"] }, Ct);
        await engine.StartContainerAsync(id, Ct);

        // Several removals at once: the engine answers all but one "removal already in progress" (409). Each either
        // returns, and then the container must be gone, or refuses, and then asks again until it is: a 409 taken for
        // "removed" once let a container whose removal then failed outlive its grade.
        async Task RemoveAsync()
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await engine.RemoveContainerAsync(id, Ct);
                    (await engine.ListContainersAsync(SandboxLabels.Marker, Ct)).ShouldNotContain(c => c.Id == id, "a removal returned while the container was still there");
                    return;
                }
                catch (ContainerEngineException ex) when (attempt < 50)
                {
                    ex.Message.ShouldContain("409");
                    await Task.Delay(100, Ct);
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => RemoveAsync()));
    }

    [Fact]
    public async Task The_reaper_removes_leftovers_whose_owner_is_gone_and_spares_live_ones()
    {
        var engine = await DockerSandbox.EngineAsync();
        var image = await DockerSandbox.ImageAsync();
        var orphanLabels = new Dictionary<string, string>
        {
            [SandboxLabels.Marker] = "1",
            // A pid that cannot exist (above pid_max): the owner is certainly gone.
            [SandboxLabels.Owner] = $"{Environment.MachineName}:{int.MaxValue}",
        };
        var orphan = await engine.CreateContainerAsync(new ContainerSpec { Image = image.Tag, Labels = orphanLabels, Entrypoint = ["/bin/true"] }, Ct);
        var request = new SandboxRequest { Image = image.Tag, Role = "test", Entrypoint = ["/bin/sh", "-c"], Command = ["sleep 30"] };
        await using var live = await SandboxContainer.StartAsync(engine, request, null, Ct);

        await new SandboxReaper(engine, TimeProvider.System).ReapAsync(Ct);

        var remaining = await engine.ListContainersAsync(SandboxLabels.Marker, Ct);
        remaining.ShouldNotContain(c => c.Id == orphan);
        remaining.ShouldContain(c => c.Id == live.Id);
    }
}
