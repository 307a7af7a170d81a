namespace CodeLab.TestSupport;

/// <summary>Paths inside the repository, found from the test assembly's location.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Exercises => Path.Combine(Root, "exercises");
    public static string SandboxDefinition => Path.Combine(Root, "sandbox");
    public static string RunnerBuild => Path.Combine(Root, "artifacts", "bin", "CodeLab.Runner", "release");

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CodeLab.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No CodeLab.sln above {AppContext.BaseDirectory}: run the tests from the repository.");
    }
}
