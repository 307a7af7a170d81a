using CodeLab.Judge;
using Xunit;

namespace World.Tests;

[Trait("level", "junior")]
public sealed class WorldTests
{
    [Fact(DisplayName = "The grader restarts a replica the grade does not have: a world command it cannot carry out")]
    [Trait("criterion", "world")]
    public async Task Restart_of_a_missing_replica() => await Control.RestartServiceAsync(9, TestContext.Current.CancellationToken);
}
