using CodeLab.Sandbox;
using CodeLab.Sandbox.Engine;

namespace CodeLab.Sandbox.Tests;

/// <summary>What a container's run reports, on a fake engine that answers inspections as scripted.</summary>
public sealed class SandboxContainerUnitTests
{
    static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static SandboxRequest Request() => new() { Image = "fake", Role = "test", Command = ["run"] };

    [Fact]
    public async Task An_out_of_memory_kill_the_engine_hears_of_after_the_exit_is_still_reported()
    {
        // The engine's exit and out-of-memory events may arrive in either order: the first inspection can miss the flag.
        var engine = new FakeEngine();
        engine.States.Enqueue(new ContainerState("c", "exited", false, 137, false, null));
        engine.States.Enqueue(new ContainerState("c", "exited", false, 137, false, null));
        engine.States.Enqueue(new ContainerState("c", "exited", false, 137, true, null));
        var live = new LiveSandboxes();
        await using var container = await SandboxContainer.StartDeferredAsync(engine, live, Request(), null, Ct);

        var result = await container.WaitAsync(CancellationToken.None, Ct).WaitAsync(Budget, Ct);

        result.OomKilled.ShouldBeTrue();
        result.ExitCode.ShouldBe(137);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task An_exit_that_was_no_kill_is_inspected_once(long exitCode)
    {
        var engine = new FakeEngine();
        engine.States.Enqueue(new ContainerState("c", "exited", false, exitCode, false, null));
        var live = new LiveSandboxes();
        await using var container = await SandboxContainer.StartDeferredAsync(engine, live, Request(), null, Ct);

        var result = await container.WaitAsync(CancellationToken.None, Ct).WaitAsync(Budget, Ct);

        result.OomKilled.ShouldBeFalse();
        engine.Inspections.ShouldBe(1);
    }
}
