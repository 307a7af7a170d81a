using CodeLab.Exercises;
using CodeLab.Load;
using CodeLab.Load.Stats;

namespace CodeLab.Grading.Tests;

/// <summary>Threshold expressions from exercise.json, evaluated over real stats of an in-process scenario.</summary>
public sealed class LoadThresholdsTests
{
    static async Task<ScenarioStats> StatsAsync()
    {
        var scenario = Scenario.Create("s", ctx =>
                Task.FromResult(ctx.InvocationNumber % 5 == 0 ? Response.Fail(503, "down") : Response.Ok(200)))
            .WithLoadSimulations(Simulation.IterationsForConstant(2, 100));
        var result = await LoadRunner.RegisterScenarios(scenario).RunAsync(TestContext.Current.CancellationToken);
        return result["s"];
    }

    [Fact]
    public async Task A_comparison_reports_the_value_it_saw()
    {
        var stats = await StatsAsync();

        var failing = await LoadThresholds.EvaluateAsync("Fail.Request.Percent < 1", stats);
        var passing = await LoadThresholds.EvaluateAsync("All.Latency.P99Ms < 5000", stats);

        failing.Passed.ShouldBeFalse();
        failing.Actual.ShouldBe(20);
        failing.Message.ShouldBe("Fail.Request.Percent = 20 (needs < 1)");
        passing.Passed.ShouldBeTrue();
        passing.Message.ShouldStartWith("All.Latency.P99Ms = ");
        passing.Message.ShouldEndWith(" (< 5000)");
    }

    [Fact]
    public async Task A_compound_expression_holds_or_not_without_a_single_value()
    {
        var stats = await StatsAsync();

        var result = await LoadThresholds.EvaluateAsync("Ok.Request.Count == 80 && StatusCodes[\"503\"] == 20", stats);

        result.Passed.ShouldBeTrue();
        result.Actual.ShouldBeNull();
        result.Message.ShouldEndWith(": holds");
    }

    [Fact]
    public async Task A_figure_the_verification_counted_is_read_by_its_name_and_reported_under_it()
    {
        var stats = (await StatsAsync()) with
        {
            Checks =
            [
                new ScenarioCheck("events lost", "0", "0", true),
                new ScenarioCheck("ms until drained", "judged by the threshold", "311", true),
                new ScenarioCheck("ms until settled", "judged by the threshold", "not judged: still booking", true),
            ],
        };

        var within = await LoadThresholds.EvaluateAsync("Figure(\"ms until drained\") < 10000", stats);
        var beyond = await LoadThresholds.EvaluateAsync("Figure(\"ms until drained\") < 300", stats);
        var unknown = await LoadThresholds.EvaluateAsync("Figure(\"ms until done\") < 10000", stats);
        var notANumber = await LoadThresholds.EvaluateAsync("Figure(\"ms until settled\") < 10000", stats);

        within.Passed.ShouldBeTrue();
        within.Actual.ShouldBe(311);
        within.Message.ShouldBe("ms until drained = 311 (< 10000)");
        beyond.Passed.ShouldBeFalse();
        beyond.Message.ShouldBe("ms until drained = 311 (needs < 300)");
        // A threshold that names a check the scenario did not record, or one that holds no number, fails and says so.
        unknown.Passed.ShouldBeFalse();
        unknown.Message.ShouldContain("no check named 'ms until done'");
        notANumber.Passed.ShouldBeFalse();
        notANumber.Message.ShouldContain("not a number");
        LoadCheck.Label("Figure(\"ms until drained\") < 10000").ShouldBe("ms until drained < 10000");
        LoadCheck.Label(" All.Latency.P99Ms < 2000 ").ShouldBe("All.Latency.P99Ms < 2000");
    }

    [Fact]
    public async Task A_broken_expression_fails_with_the_compiler_message_instead_of_passing()
    {
        var stats = await StatsAsync();

        var result = await LoadThresholds.EvaluateAsync("Ok.Latency.P99 < 5", stats);

        result.Passed.ShouldBeFalse();
        result.Message.ShouldContain("not a valid threshold");
        result.Message.ShouldContain("P99");
    }
}
