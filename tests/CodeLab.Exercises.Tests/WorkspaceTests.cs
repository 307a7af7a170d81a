using System.Xml.Linq;
using CodeLab.TestSupport;

namespace CodeLab.Exercises.Tests;

public sealed class WorkspaceTests
{
    [Fact]
    public void A_junior_workspace_has_the_statement_starter_public_tests_and_template_but_no_hidden_tests()
    {
        using var folder = new ExerciseFolder();
        var target = Path.Combine(folder.Root, "ws");
        var files = WorkspaceWriter.Write(folder.Load(), "junior", target);

        files.ShouldContain("README.md");
        files.ShouldContain("Demo.csproj");
        files.ShouldContain("src/Thing.cs");
        files.ShouldNotContain("src/MidThing.cs");
        files.ShouldContain("tests/public/PublicTests.cs");
        files.ShouldContain("tests/TestEntryPoint.cs");
        files.ShouldContain("Directory.Build.props");
        files.ShouldContain("Directory.Packages.props");
        files.ShouldContain(".gitignore");
        files.ShouldNotContain(f => f.Contains("Hidden") || f.Contains("Mid"));
        var readme = File.ReadAllText(Path.Combine(target, "README.md"));
        readme.ShouldContain("## Junior part");
        readme.ShouldNotContain("## Mid part");
    }

    [Fact]
    public void A_mid_workspace_is_cumulative()
    {
        using var folder = new ExerciseFolder();
        var target = Path.Combine(folder.Root, "ws");
        var files = WorkspaceWriter.Write(folder.Load(), "mid", target);
        files.ShouldContain("src/MidThing.cs");
        Statement.Compose(folder.Load(), "mid").ShouldContain("## Junior part");
    }

    [Fact]
    public void A_non_empty_target_is_refused()
    {
        using var folder = new ExerciseFolder();
        var target = Directory.CreateDirectory(Path.Combine(folder.Root, "busy")).FullName;
        File.WriteAllText(Path.Combine(target, "x"), "x");
        Should.Throw<ExerciseException>(() => WorkspaceWriter.Write(folder.Load(), "junior", target)).Message.ShouldContain("is not empty");
    }

    [Fact]
    public void Workspace_package_versions_are_the_ones_the_grader_builds_with()
    {
        // The workspace's project file is generated; its versions must match Directory.Packages.props,
        // which the sandbox runner (and so the grader's references) is built from.
        var central = XDocument.Load(Path.Combine(RepositoryPaths.Root, "Directory.Packages.props"))
            .Descendants("PackageVersion")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!);
        var workspace = WorkspaceProject.TestPackages
            .Append(WorkspaceProject.TestHostPackage)
            .Concat(WorkspaceProject.KnownPackages);
        foreach (var (id, version) in workspace)
            central.ShouldContainKeyAndValue(id, version, $"{id} differs between the workspace and Directory.Packages.props");
    }
}
