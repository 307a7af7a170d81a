using CodeLab.Sandbox.Engine;
using CodeLab.TestSupport;

namespace CodeLab.Sandbox.Tests;

/// <summary>
/// What a "nothing left behind" check prints when it finds something: only this process's objects of the work asked
/// about, each named with what finds its cause in the engine's log (role, run, state, time created).
/// </summary>
[Trait("Category", "Docker")]
public sealed class SandboxLeftoversDockerTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Only_this_process_and_scope_are_described_with_role_run_state_and_time()
    {
        var engine = await DockerSandbox.EngineAsync();
        var image = await DockerSandbox.ImageAsync();
        var scope = "leftovers-" + Guid.NewGuid().ToString("N")[..8];
        var created = new List<string>();
        try
        {
            async Task CreateAsync(string name, Dictionary<string, string> labels) =>
                created.Add(await engine.CreateContainerAsync(new ContainerSpec { Image = image.Tag, Name = name, Labels = labels, Entrypoint = ["/bin/true"] }, Ct));
            SandboxLabels.CurrentScope = scope;
            await CreateAsync(scope + "-mine", SandboxLabels.For("probe", new Dictionary<string, string> { [SandboxLabels.Run] = "r1" }));
            var otherOwner = SandboxLabels.For("probe");
            otherOwner[SandboxLabels.Owner] = $"{Environment.MachineName}:{int.MaxValue}";
            await CreateAsync(scope + "-other-owner", otherOwner);
            SandboxLabels.CurrentScope = scope + "-other";
            await CreateAsync(scope + "-other-scope", SandboxLabels.For("probe"));
            SandboxLabels.CurrentScope = null;

            var described = await SandboxLeftovers.DescribeAsync(engine, scope, networks: true, Ct);

            described.ShouldHaveSingleItem().ShouldMatch($@"^container {scope}-mine \(role probe, run r1, created, created \d\d:\d\d:\d\d\)$");
            (await SandboxLeftovers.DescribeAsync(engine, scope: null, networks: false, Ct))
                .ShouldContain(d => d.StartsWith($"container {scope}-other-scope ", StringComparison.Ordinal), "without a scope, all of this process's");
        }
        finally
        {
            SandboxLabels.CurrentScope = null;
            foreach (var id in created) await engine.RemoveContainerAsync(id, CancellationToken.None);
        }
    }
}
