using CodeLab.Sandbox;
using CodeLab.Sandbox.Engine;

namespace CodeLab.TestSupport;

/// <summary>
/// The real Docker engine and the real sandbox image, shared by every test in a process. Tests that need them
/// carry "Docker" in their class name and fail with instructions when the engine is missing: they never pass
/// silently and never stand in a mock for the engine.
/// </summary>
public static class DockerSandbox
{
    static readonly Lazy<Task<(DockerEngine Engine, SandboxImage Image)>> Ready = new(PrepareAsync);

    public static async Task<IContainerEngine> EngineAsync() => (await Ready.Value).Engine;

    public static async Task<SandboxImage> ImageAsync() => (await Ready.Value).Image;

    /// <summary>
    /// Containers (and networks, unless <paramref name="networks"/> is false) this process created that are still
    /// there, each with its role, run and state: a finished grade leaves none, and a test that finds some says which.
    /// </summary>
    public static async Task<IReadOnlyList<string>> LeftBehindAsync(bool networks = true) =>
        await SandboxLeftovers.DescribeAsync(await EngineAsync(), scope: null, networks, CancellationToken.None);

    static async Task<(DockerEngine, SandboxImage)> PrepareAsync()
    {
        var engine = new DockerEngine();
        try
        {
            await engine.GetInfoAsync(CancellationToken.None);
        }
        catch (ContainerEngineException ex)
        {
            throw new InvalidOperationException(
                $"These tests need a running Docker engine and none answers ({ex.Message}). Run them with ./codelab test, which installs and starts one.", ex);
        }
        var image = SandboxImage.Describe(RepositoryPaths.SandboxDefinition, RepositoryPaths.RunnerBuild, SandboxImage.CurrentRuntimeVersion);
        await new SandboxImageBuilder(engine).EnsureAsync(image, line => Console.Error.WriteLine(line), CancellationToken.None);
        return (engine, image);
    }
}
