using System.Text.Json;
using CodeLab.Exercises;
using CodeLab.Load;
using CodeLab.Load.Stats;
using CodeLab.Reports;

namespace CodeLab.Grading.Tests;

/// <summary>How the judge's load results become a test outcome: pass, fail, or error when nothing can be concluded.</summary>
public sealed class LoadOutcomeTests
{
    static readonly LoadCheck Check = new("s", "load", ["Ok.Request.Count == 50"], "load/s.csx");

    static async Task<ScenarioStats> StatsAsync()
    {
        var scenario = Scenario.Create("s", _ => Task.FromResult(Response.Ok(200)))
            .WithLoadSimulations(Simulation.IterationsForConstant(2, 50));
        return (await LoadRunner.RegisterScenarios(scenario).RunAsync(TestContext.Current.CancellationToken))["s"];
    }

    static string Serialize(ScenarioStats stats) => JsonSerializer.Serialize(stats, new JsonSerializerOptions(JsonSerializerDefaults.Web));

    [Fact]
    public async Task Stats_with_a_note_from_the_judge_are_scored_and_the_note_is_not_an_error()
    {
        var stats = await StatsAsync();

        var (outcome, report) = await LoadOutcome.EvaluateAsync(Check, (Serialize(stats), "run 2 times: the load generator fell behind ..."));

        outcome.Status.ShouldBe(TestStatuses.Pass);
        report.Error.ShouldBeNull();
        report.Thresholds.Single().Passed.ShouldBeTrue();
    }

    [Fact]
    public async Task A_failed_check_of_the_fakes_fails_the_scenario_even_when_the_generator_fell_behind()
    {
        // Thresholds all hold and the run was generator-bound (inconclusive for latency), but the provider's ledger
        // shows double charges: that is a fact about the service at any pace.
        var stats = await StatsAsync() with
        {
            GeneratorBound = true,
            Checks = [new ScenarioCheck("charges the provider accepted for 40 payments", "40", "44", false), new ScenarioCheck("keys whose 201 answers disagree", "0", "0", true)],
        };

        var (outcome, report) = await LoadOutcome.EvaluateAsync(Check, (Serialize(stats), null));

        outcome.Status.ShouldBe(TestStatuses.Fail);
        outcome.Message!.ShouldContain("charges the provider accepted for 40 payments: 44 (expected 40)");
        report.Checks.Count.ShouldBe(2);
        report.Checks.ShouldAllBe(c => c.Criterion == "load");
        report.Checks.Count(c => !c.Passed).ShouldBe(1);
    }

    [Fact]
    public async Task No_stats_is_an_error_that_says_why()
    {
        var (outcome, report) = await LoadOutcome.EvaluateAsync(Check, (null, "did not finish within 60 s"));

        outcome.Status.ShouldBe(TestStatuses.Error);
        outcome.Message!.ShouldContain("did not finish within 60 s");
        report.Error!.ShouldContain("did not finish within 60 s");
    }

    static readonly LoadCheck Unmet = new("s", "load", ["Ok.Request.Count == 51"], "load/s.csx");

    [Fact]
    public async Task A_failing_run_the_generator_could_not_keep_up_with_is_inconclusive_not_failed()
    {
        var stats = await StatsAsync() with { GeneratorBound = true };
        var busyMachine = new CpuShare(10, 2, CandidateCores: 0.3, JudgeCores: 0.6, OutsideCores: 1.1);

        var (outcome, report) = await LoadOutcome.EvaluateAsync(Unmet, (Serialize(stats), null), busyMachine);

        outcome.Status.ShouldBe(TestStatuses.Error);
        outcome.Message!.ShouldStartWith("Inconclusive: the load generator of scenario s fell behind");
        outcome.Inconclusive!.ShouldContain("everything outside this grade 1.10");
        report.GeneratorBound.ShouldBeTrue();
        report.GeneratorLagMs.ShouldBe(new LoadGeneratorLag(stats.GeneratorLag.P50Ms, stats.GeneratorLag.P99Ms, stats.GeneratorLag.MaxMs));
    }

    [Fact]
    public async Task Without_the_hosts_cpu_accounting_a_failing_lagged_run_is_inconclusive_and_says_so()
    {
        var stats = await StatsAsync() with { GeneratorBound = true };

        var (outcome, _) = await LoadOutcome.EvaluateAsync(Unmet, (Serialize(stats), null), cpu: null);

        outcome.Inconclusive!.ShouldContain("could not be read");
    }

    [Fact]
    public async Task A_service_that_starved_the_generator_by_burning_cpu_fails_the_run_it_cannot_make_it_inconclusive()
    {
        var stats = await StatsAsync() with { GeneratorBound = true };
        var burner = new CpuShare(10, 2, CandidateCores: 1.4, JudgeCores: 0.4, OutsideCores: 0.2);

        var (outcome, _) = await LoadOutcome.EvaluateAsync(Unmet, (Serialize(stats), null), burner);

        outcome.Status.ShouldBe(TestStatuses.Fail);
        outcome.Inconclusive.ShouldBeNull();
        outcome.Message!.ShouldContain("the service's own containers took the machine's CPU");
    }

    [Fact]
    public async Task A_run_that_meets_its_thresholds_although_the_generator_lagged_passes_the_lag_only_made_it_harder()
    {
        var stats = await StatsAsync() with { GeneratorBound = true };

        var (outcome, _) = await LoadOutcome.EvaluateAsync(Check, (Serialize(stats), null), cpu: null);

        outcome.Status.ShouldBe(TestStatuses.Pass);
        outcome.Inconclusive.ShouldBeNull();
    }
}
