using CodeLab.Compilation;
using CodeLab.Exercises;
using CodeLab.Sandbox;
using CodeLab.Sandbox.Engine;

namespace CodeLab.Grading;

/// <summary>
/// What grading needs for the life of a process: the catalog, the compiler's references (loaded once, so a
/// long-lived grader keeps Roslyn warm), the engine and the sandbox image (built when missing). Leftovers
/// of crashed graders are reaped when it is created.
/// </summary>
public sealed class GradingContext : IDisposable
{
    readonly DockerEngine engine;

    GradingContext(CodeLabHome home, ExerciseCatalog catalog, ReferenceAssemblies references, DockerEngine engine, SandboxImage image, string imageId)
    {
        this.engine = engine;
        Home = home;
        Catalog = catalog;
        References = references;
        Image = image;
        ImageId = imageId;
    }

    public CodeLabHome Home { get; }
    public ExerciseCatalog Catalog { get; }
    public ReferenceAssemblies References { get; }
    public IContainerEngine Engine => engine;
    public SandboxImage Image { get; }
    public string ImageId { get; }
    /// <summary>Fences the host off from service grades' networks.</summary>
    public HostFence Fence { get; init; } = new();

    /// <param name="catalog">Exercises to grade; the repository's by default (tests pass their own fixtures).</param>
    public static async Task<GradingContext> CreateAsync(CodeLabHome home, Action<Progress> progress, CancellationToken cancellationToken, ExerciseCatalog? catalog = null)
    {
        catalog ??= LoadCatalog(home);
        ReferenceAssemblies references;
        SandboxImage image;
        try
        {
            references = new ReferenceAssemblies(home.RunnerBuild);
            image = SandboxImage.Describe(home.SandboxDefinition, home.RunnerBuild, SandboxImage.CurrentRuntimeVersion);
        }
        catch (Exception ex) when (ex is CompilationSetupException or SandboxSetupException)
        {
            throw new InfrastructureException(ex.Message, ex);
        }

        var engine = new DockerEngine();
        try
        {
            await engine.GetInfoAsync(cancellationToken);
            await new SandboxReaper(engine, TimeProvider.System, new HostFence()).ReapAsync(cancellationToken);
            await new SandboxImageBuilder(engine).EnsureAsync(image, line => progress(new Progress(line)), cancellationToken);
            var info = await engine.InspectImageAsync(image.Tag, cancellationToken)
                       ?? throw new InfrastructureException($"Sandbox image {image.Tag} disappeared right after it was prepared.");
            return new GradingContext(home, catalog, references, engine, image, info.Id);
        }
        catch (Exception ex) when (ex is ContainerEngineException or SandboxSetupException)
        {
            engine.Dispose();
            throw new InfrastructureException(ex.Message, ex);
        }
    }

    public static ExerciseCatalog LoadCatalog(CodeLabHome home)
    {
        try
        {
            return ExerciseCatalog.Load(home.Exercises);
        }
        catch (ExerciseException ex)
        {
            throw new InfrastructureException($"The exercise catalog is invalid: {ex.Message}", ex);
        }
    }

    public Grader CreateGrader() => new(this);

    public void Dispose() => engine.Dispose();
}
