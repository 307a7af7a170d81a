using System.Security.Cryptography;
using CodeLab.Exercises;
using CodeLab.Sandbox;
using CodeLab.Sandbox.Engine;

namespace CodeLab.Grading;

/// <summary>
/// A test sandbox started before its input exists: container start-up and the runner's own start-up overlap
/// compilation, and the runner then waits on stdin for the assemblies. The secret is chosen now; candidate code
/// is not loaded until after the input arrives, so it is no easier to learn.
/// </summary>
public sealed class PreparedSandbox : IAsyncDisposable
{
    Action<string>? route;

    PreparedSandbox(string secret, SandboxContainer container)
    {
        Secret = secret;
        Container = container;
    }

    public string Secret { get; }
    public SandboxContainer Container { get; private set; }

    public static async Task<PreparedSandbox> StartAsync(IContainerEngine engine, string image, LevelLimits limits, JudgePlacement? judge, CancellationToken cancellationToken)
    {
        var secret = RandomNumberGenerator.GetHexString(32, lowercase: true);
        PreparedSandbox? prepared = null;
        var container = await SandboxContainer.StartDeferredAsync(engine, Request(image, limits, TimeSpan.FromSeconds(limits.RunTimeoutSeconds), judge), line => prepared?.route?.Invoke(line), cancellationToken);
        prepared = new PreparedSandbox(secret, container);
        return prepared;
    }

    /// <summary>Where the runner's output lines go. Set before the input is sent: nothing is printed before that.</summary>
    public void RouteOutput(Action<string> handler) => route = handler;

    public static SandboxRequest Request(string image, LevelLimits limits, TimeSpan wallClock, JudgePlacement? judge) => new()
    {
        Image = image,
        Role = judge is null ? "tests" : "judge",
        Command = ["tests"],
        Network = judge?.Network ?? "none",
        NetworkAliases = judge?.Aliases ?? [],
        Environment = judge?.Environment ?? new Dictionary<string, string>(),
        Labels = judge?.Labels ?? new Dictionary<string, string>(),
        Limits = new SandboxLimits
        {
            MemoryBytes = limits.MemoryMb * 1024L * 1024,
            Cpus = limits.Cpus,
            Pids = limits.Pids,
            WallClock = wallClock,
        },
    };

    public ValueTask DisposeAsync() => Container.DisposeAsync();

    /// <summary>Removes a sandbox started early that will not be used (or failed to start: whoever awaits it reports that).</summary>
    public static async Task DiscardAsync(Task<PreparedSandbox> sandbox)
    {
        try
        {
            await (await sandbox).DisposeAsync();
        }
        catch (Exception ex) when (ex is ContainerEngineException or OperationCanceledException or ObjectDisposedException)
        {
            // Nothing was started, or it is gone already.
        }
    }
}
