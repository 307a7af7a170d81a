using CodeLab.Protocol;

namespace CodeLab.Grading.Tests;

public sealed class RunnerEventReaderTests
{
    const string Secret = "0123456789abcdef0123456789abcdef";

    [Fact]
    public void Only_lines_with_this_runs_secret_are_events()
    {
        var reader = new RunnerEventReader(Secret);
        var real = reader.Parse($"{RunnerChannel.Prefix}{Secret} {{\"e\":\"result\",\"cls\":\"N.C\",\"m\":\"M\",\"status\":\"pass\"}}");
        real!.TestId.ShouldBe("N.C.M");
        real.Status.ShouldBe("pass");

        reader.Parse($"{RunnerChannel.Prefix}ffffffffffffffffffffffffffffffff {{\"e\":\"result\",\"cls\":\"N.C\",\"m\":\"M\",\"status\":\"pass\"}}").ShouldBeNull();
        reader.Parse("{\"$type\":\"test-passed\"}").ShouldBeNull();
        reader.Parse($"{RunnerChannel.Prefix}{Secret} not json").ShouldBeNull();
        reader.Parse("").ShouldBeNull();
        reader.ForeignLines.ShouldBe(3);
    }
}
