namespace LocalRun;

/// <summary>The workspace folder (the one with the .slnx), found from where this tool was built.</summary>
internal sealed record Workspace(string Root, string ServiceProject, string TestsProject)
{
    public static Workspace Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (folder.GetFiles("*.slnx").FirstOrDefault() is not { } solution) continue;
            var name = Path.GetFileNameWithoutExtension(solution.Name);
            return new Workspace(folder.FullName,
                Path.Combine(folder.FullName, "src", name + ".csproj"),
                Path.Combine(folder.FullName, "tests", name + ".Tests.csproj"));
        }
        throw new InvalidOperationException($"No .slnx above {AppContext.BaseDirectory}: run `dotnet run --project tests/LocalRun` inside the workspace.");
    }
}
