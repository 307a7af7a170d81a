using System.Text.RegularExpressions;
using CodeLab.TestSupport;

namespace CodeLab.Grading.Tests;

/// <summary>Rules of the house that a reader cannot see break: checked over the repository's own files.</summary>
public sealed partial class HouseRulesTests
{
    /// <summary>
    /// A test that needs the Docker engine says so (`dotnet test --filter "Category!=Docker"` runs everything else on a
    /// machine without one): every test class that grades, starts a sandbox or reaches the engine carries the trait.
    /// </summary>
    [Fact]
    public void Every_test_class_that_needs_the_Docker_engine_carries_the_Docker_category()
    {
        var testsFolder = Path.Combine(RepositoryPaths.Root, "tests");
        var untagged = Directory.GetFiles(testsFolder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}Fixtures{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}CodeLab.TestSupport{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (File: Path.GetRelativePath(RepositoryPaths.Root, f), Text: File.ReadAllText(f)))
            .Where(f => f.Text.Contains("[Fact", StringComparison.Ordinal) || f.Text.Contains("[Theory", StringComparison.Ordinal))
            .Where(f => NeedsEngine().IsMatch(f.Text) || f.File.EndsWith("DockerTests.cs", StringComparison.Ordinal))
            .Where(f => !f.Text.Contains("[Trait(\"Category\", \"Docker\")]", StringComparison.Ordinal))
            .Select(f => f.File)
            .ToList();
        untagged.ShouldBeEmpty("add [Trait(\"Category\", \"Docker\")] to these test classes");
    }

    [GeneratedRegex(@"DockerSandbox\.|GradingFixture\.GradeAsync|Catalog\.(RowAsync|RunAsync)|GradingContext\.CreateAsync")]
    private static partial Regex NeedsEngine();
}
