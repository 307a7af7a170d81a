namespace CodeLab.Load.Tests;

// Replaced by the load engine's real tests (issue 3).
public class PlaceholderTests
{
    [Fact]
    public void Project_builds() => typeof(PlaceholderTests).Assembly.ShouldNotBeNull();
}
