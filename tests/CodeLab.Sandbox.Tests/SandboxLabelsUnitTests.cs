using CodeLab.Sandbox;

namespace CodeLab.Sandbox.Tests;

/// <summary>The scope label: what a calibration counts as its own leftovers rests on it reaching every container of its grades.</summary>
public sealed class SandboxLabelsUnitTests
{
    [Fact]
    public async Task A_scope_reaches_what_its_flow_creates_in_started_tasks_and_never_its_caller_or_a_sibling_flow()
    {
        SandboxLabels.CurrentScope.ShouldBeNull();
        using var go = new SemaphoreSlim(0);

        async Task<(IReadOnlyDictionary<string, string> Direct, IReadOnlyDictionary<string, string> Started)> WorkAsync(string scope)
        {
            SandboxLabels.CurrentScope = scope;
            await go.WaitAsync(TestContext.Current.CancellationToken);
            // What the grade starts on the thread pool (a world's containers starting, a restart the judge asked for).
            var started = await Task.Run(async () => { await Task.Yield(); return SandboxLabels.For("app"); });
            return (SandboxLabels.For("judge"), started);
        }

        var first = Task.Run(() => WorkAsync("calibration-a"));
        var second = Task.Run(() => WorkAsync("calibration-b"));
        go.Release(2);
        var (a, b) = (await first, await second);

        a.Direct[SandboxLabels.Scope].ShouldBe("calibration-a");
        a.Started[SandboxLabels.Scope].ShouldBe("calibration-a");
        b.Direct[SandboxLabels.Scope].ShouldBe("calibration-b");
        b.Started[SandboxLabels.Scope].ShouldBe("calibration-b");
        SandboxLabels.CurrentScope.ShouldBeNull();
        SandboxLabels.For("redis").ShouldNotContainKey(SandboxLabels.Scope);
    }

    [Fact]
    public void The_owner_and_role_cannot_be_overridden_by_extra_labels()
    {
        var labels = SandboxLabels.For("judge", new Dictionary<string, string> { [SandboxLabels.Owner] = "elsewhere:1", [SandboxLabels.Role] = "redis", [SandboxLabels.Run] = "r1" });
        labels[SandboxLabels.Owner].ShouldBe(SandboxLabels.CurrentOwner);
        labels[SandboxLabels.Role].ShouldBe("judge");
        labels[SandboxLabels.Run].ShouldBe("r1");
    }
}
