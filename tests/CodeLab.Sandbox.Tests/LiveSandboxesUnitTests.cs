using System.Collections.Concurrent;
using CodeLab.Sandbox;
using CodeLab.Sandbox.Engine;

namespace CodeLab.Sandbox.Tests;

/// <summary>
/// What the exit does with live containers and networks, on a fake engine and a registry of the test's own (never
/// <see cref="LiveSandboxes.Process"/>, which the Docker tests beside these use).
/// </summary>
public sealed class LiveSandboxesUnitTests
{
    /// <summary>A hang guard for work that takes milliseconds on a fake engine: generous, since CI runs these beside a saturating calibration.</summary>
    static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static SandboxRequest Request() => new() { Image = "fake", Role = "test", Command = ["run"] };

    [Fact]
    public async Task A_container_asked_for_after_the_exit_began_is_refused_and_never_created()
    {
        var engine = new FakeEngine();
        var live = new LiveSandboxes();
        await live.RemoveAllAsync(Budget);

        // Awaited directly, as callers do (Shouldly's ThrowAsync reports a cancelled task without its exception).
        OperationCanceledException? refused = null;
        try { await SandboxContainer.StartDeferredAsync(engine, live, Request(), null, Ct); }
        catch (OperationCanceledException ex) { refused = ex; }

        refused.ShouldNotBeNull().Message.ShouldContain("exiting");
        engine.Creates.ShouldBe(0);
        engine.Existing.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_network_asked_for_after_the_exit_began_is_refused_and_never_created()
    {
        var engine = new FakeEngine();
        var live = new LiveSandboxes();
        await live.RemoveAllAsync(Budget);

        await Should.ThrowAsync<OperationCanceledException>(() => live.CreateNetworkAsync(engine, new NetworkSpec("codelab-net-x", true, new Dictionary<string, string>()), Ct));

        engine.Creates.ShouldBe(0);
    }

    [Fact]
    public async Task A_container_whose_create_was_in_flight_when_the_exit_began_is_removed_once_it_exists()
    {
        var engine = new FakeEngine { HoldCreates = true };
        var live = new LiveSandboxes();
        var starting = SandboxContainer.StartDeferredAsync(engine, live, Request(), null, Ct);
        await engine.CreateEntered.Task.WaitAsync(Budget, Ct);

        // The engine has the request but has not answered: the exit finds nothing to remove yet, and must keep looking.
        var exit = live.RemoveAllAsync(Budget);
        await Task.Delay(300, Ct);
        exit.IsCompleted.ShouldBeFalse();
        engine.ReleaseCreates();

        await Should.ThrowAsync<OperationCanceledException>(() => starting);
        await exit.WaitAsync(Budget, Ct);
        engine.Creates.ShouldBe(1);
        engine.Existing.ShouldBeEmpty();
        engine.Starts.ShouldBe(0);
        live.IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public async Task The_exit_removes_containers_then_networks_and_tries_again_until_nothing_is_live()
    {
        var engine = new FakeEngine();
        var live = new LiveSandboxes();
        var network = await live.CreateNetworkAsync(engine, new NetworkSpec("codelab-net-x", true, new Dictionary<string, string>()), Ct);
        var first = await SandboxContainer.StartDeferredAsync(engine, live, Request(), null, Ct);
        var second = await SandboxContainer.StartDeferredAsync(engine, live, Request(), null, Ct);
        engine.FailRemovals(first.Id, times: 2);

        await live.RemoveAllAsync(Budget);

        engine.Existing.ShouldBeEmpty();
        live.IsEmpty.ShouldBeTrue();
        engine.Removals.Count(r => r == first.Id).ShouldBe(3);
        // The network only goes once no container is left on it.
        engine.Removals.Last().ShouldBe("net:" + network);
        await second.DisposeAsync();
        engine.Removals.Count(r => r == second.Id).ShouldBe(1);
    }

    [Fact]
    public async Task The_exit_gives_up_after_its_budget_when_the_engine_never_removes()
    {
        var engine = new FakeEngine();
        var live = new LiveSandboxes();
        var container = await SandboxContainer.StartDeferredAsync(engine, live, Request(), null, Ct);
        engine.FailRemovals(container.Id, times: int.MaxValue);

        // It ends by itself (a hang would reach the guard); how soon is the budget's business, not a machine's speed.
        await live.RemoveAllAsync(TimeSpan.FromMilliseconds(800)).WaitAsync(Budget, Ct);

        engine.Removals.Count.ShouldBeGreaterThan(1);
        live.IsEmpty.ShouldBeFalse();
    }

    [Fact]
    public async Task Disposing_a_container_asks_again_until_the_engine_removes_it()
    {
        var engine = new FakeEngine();
        var live = new LiveSandboxes();
        var container = await SandboxContainer.StartDeferredAsync(engine, live, Request(), null, Ct);
        // A busy engine refuses a removal now and then (a mount still in use, a removal of ours still under way).
        engine.FailRemovals(container.Id, times: 2);

        await container.DisposeAsync().AsTask().WaitAsync(Budget, Ct);

        engine.Existing.ShouldBeEmpty();
        engine.Removals.Count(r => r == container.Id).ShouldBe(3);
        live.IsEmpty.ShouldBeTrue("nothing is left for the exit");
    }

    [Fact]
    public async Task A_container_the_engine_never_removes_stays_live_for_the_exit()
    {
        var engine = new FakeEngine();
        var live = new LiveSandboxes();
        var container = await SandboxContainer.StartDeferredAsync(engine, live, Request(), null, Ct);
        engine.FailRemovals(container.Id, times: 3);

        (await live.RemoveContainerQuietlyAsync(container.Name, TimeSpan.FromMilliseconds(300)).WaitAsync(Budget, Ct)).ShouldBeFalse();
        live.IsEmpty.ShouldBeFalse();

        await live.RemoveAllAsync(Budget);
        engine.Existing.ShouldBeEmpty();
        live.IsEmpty.ShouldBeTrue();
    }

    /// <summary>Keeps containers and networks by name and id; a held create waits for <see cref="ReleaseCreates"/> before the object exists.</summary>
    sealed class FakeEngine : IContainerEngine
    {
        readonly ConcurrentDictionary<string, string> existing = new(); // id -> name
        readonly ConcurrentDictionary<string, int> failing = new();
        readonly TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        int creates, starts;

        public bool HoldCreates { get; init; }
        public TaskCompletionSource CreateEntered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public ConcurrentQueue<string> Removals { get; } = new();
        public int Creates => Volatile.Read(ref creates);
        public int Starts => Volatile.Read(ref starts);
        public ICollection<string> Existing => existing.Keys;

        public void ReleaseCreates() => release.TrySetResult();
        public void FailRemovals(string id, int times) => failing[id] = times;

        async Task<string> CreateAsync(string id, string name)
        {
            CreateEntered.TrySetResult();
            if (HoldCreates) await release.Task;
            Interlocked.Increment(ref creates);
            existing[id] = name;
            return id;
        }

        Task RemoveAsync(string idOrName, string recorded)
        {
            Removals.Enqueue(recorded);
            var id = existing.FirstOrDefault(e => e.Key == idOrName || e.Value == idOrName).Key;
            if (id is null) return Task.CompletedTask;
            if (failing.TryGetValue(id, out var left) && left > 0)
            {
                failing[id] = left - 1;
                throw new ContainerEngineException($"fake refusal to remove {id}");
            }
            if (existing.Keys.Any(k => k != id && k.StartsWith("c", StringComparison.Ordinal)) && id.StartsWith("n", StringComparison.Ordinal))
                throw new ContainerEngineException("network in use");
            existing.TryRemove(id, out _);
            return Task.CompletedTask;
        }

        public Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken) => CreateAsync("c" + Guid.NewGuid().ToString("N"), spec.Name!);
        public Task<string> CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken) => CreateAsync("n" + Guid.NewGuid().ToString("N"), spec.Name);
        public Task RemoveContainerAsync(string containerId, CancellationToken cancellationToken) => RemoveAsync(containerId, containerId);
        public Task RemoveNetworkAsync(string networkId, CancellationToken cancellationToken) => RemoveAsync(networkId, "net:" + networkId);

        public Task<IContainerAttachment> AttachAsync(string containerId, CancellationToken cancellationToken) => Task.FromResult<IContainerAttachment>(new Silent());

        public Task StartContainerAsync(string containerId, CancellationToken cancellationToken)
        {
            if (!existing.ContainsKey(containerId)) throw new ContainerEngineException($"no such container {containerId}");
            Interlocked.Increment(ref starts);
            return Task.CompletedTask;
        }

        public Task<EngineInfo> GetInfoAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<ImageInfo?> InspectImageAsync(string image, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<long> WaitContainerAsync(string containerId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<ContainerState> InspectContainerAsync(string containerId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task KillContainerAsync(string containerId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task StopContainerAsync(string containerId, TimeSpan grace, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<ExecResult> ExecAsync(string containerId, IReadOnlyList<string> command, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(string labelFilter, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IReadOnlyList<NetworkSummary>> ListNetworksAsync(string labelFilter, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    sealed class Silent : IContainerAttachment
    {
        public Task WriteStdinAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => Task.CompletedTask;
        public void CloseStdin() { }
        public ValueTask<OutputFrame?> ReadFrameAsync(CancellationToken cancellationToken) => ValueTask.FromResult<OutputFrame?>(null);
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
