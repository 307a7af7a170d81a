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
}
