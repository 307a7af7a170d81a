namespace CodeLab.Grading;

/// <summary>
/// Where CodeLab's own files are: the repository (exercises/, sandbox/, the runner's build output). Found from
/// CODELAB_HOME, else by walking up from the running assembly to CodeLab.sln.
/// </summary>
public sealed record CodeLabHome(string Root)
{
    public string Exercises => Path.Combine(Root, "exercises");
    public string SandboxDefinition => Path.Combine(Root, "sandbox");
    /// <summary>The runner's Release build: copied into the image, and the libraries code is compiled against.</summary>
    public string RunnerBuild => Path.Combine(Root, "artifacts", "bin", "CodeLab.Runner", "release");

    public static CodeLabHome Locate()
    {
        if (Environment.GetEnvironmentVariable("CODELAB_HOME") is { Length: > 0 } home)
        {
            if (!Directory.Exists(Path.Combine(home, "exercises"))) throw new InfrastructureException($"CODELAB_HOME={home} has no exercises/ folder.");
            return new CodeLabHome(Path.GetFullPath(home));
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CodeLab.sln"))) return new CodeLabHome(dir.FullName);
        throw new InfrastructureException($"Cannot find the CodeLab repository above {AppContext.BaseDirectory}: set CODELAB_HOME to it.");
    }
}
