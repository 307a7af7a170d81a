using CodeLab.Reports;
using CodeLab.Sandbox.Engine;

namespace CodeLab.Grading.Tests;

/// <summary>What a grade does with each attempt of its sandboxed stage: score it, run it once more, or give up with an error.</summary>
public sealed class AttemptDecisionTests
{
    static TestStageResult Tested(params (string Id, TestOutcome Outcome)[] outcomes) =>
        new(outcomes.ToDictionary(o => o.Id, o => o.Outcome), new SandboxReport("img", 0, false, false, 1, 1), [], TimeSpan.FromSeconds(1));

    static readonly TestOutcome Pass = new(TestStatuses.Pass, null, 1, null, null);
    static readonly TestOutcome Fail = new(TestStatuses.Fail, "allowed 12 of 10", 1, null, null);
    static readonly TestOutcome Lagged = new(TestStatuses.Error, "Inconclusive: ...", 1, null, null) { Inconclusive = "the load generator fell behind" };

    [Fact]
    public void A_conclusive_attempt_is_scored_whatever_its_outcomes()
    {
        var decision = AttemptDecision.Decide([StageAttempt.Of(Tested(("a", Pass), ("b", Fail)))]);

        decision.Next.ShouldBe(AttemptNext.Score);
        decision.Reason.ShouldBeNull();
    }

    [Fact]
    public void A_first_inconclusive_attempt_is_retried_with_its_reason()
    {
        var decision = AttemptDecision.Decide([StageAttempt.Of(Tested(("a", Pass), ("load", Lagged)))]);

        decision.Next.ShouldBe(AttemptNext.Retry);
        decision.Reason!.ShouldContain("the load generator fell behind");
    }

    [Fact]
    public void A_conclusive_retry_is_scored_and_says_the_grade_ran_twice_and_why()
    {
        var decision = AttemptDecision.Decide([StageAttempt.Of(Tested(("load", Lagged))), StageAttempt.Of(Tested(("load", Fail)))]);

        decision.Next.ShouldBe(AttemptNext.Score);
        decision.Reason!.ShouldStartWith("Graded twice");
        decision.Reason!.ShouldContain("the load generator fell behind");
    }

    [Fact]
    public void Inconclusive_twice_is_an_error_with_both_reasons_never_a_score()
    {
        var second = new TestOutcome(TestStatuses.Error, "x", 1, null, null) { Inconclusive = "lag p99 900 ms" };

        var decision = AttemptDecision.Decide([StageAttempt.Of(Tested(("load", Lagged))), StageAttempt.Of(Tested(("a", Pass), ("load", second)))]);

        decision.Next.ShouldBe(AttemptNext.Error);
        decision.Reason!.ShouldContain("no points were lost");
        decision.Reason!.ShouldContain("the load generator fell behind");
        decision.Reason!.ShouldContain("lag p99 900 ms");
    }

    [Fact]
    public void Many_tests_inconclusive_name_two_reasons_and_count_the_rest()
    {
        StageAttempt Attempt(string run) => StageAttempt.Of(Tested(Enumerable.Range(1, 9)
            .Select(i => ($"t{i}", new TestOutcome(TestStatuses.Error, "x", 1, null, null) { Inconclusive = $"{run}: Redis took {i}00 ms" })).ToArray()));

        var decision = AttemptDecision.Decide([Attempt("first"), Attempt("second")]);

        decision.Next.ShouldBe(AttemptNext.Error);
        decision.Reason!.ShouldContain("first: Redis took 100 ms; first: Redis took 200 ms; and 7 more (see the tests)");
        decision.Reason!.ShouldContain("second: Redis took 100 ms; second: Redis took 200 ms; and 7 more (see the tests)");
        decision.Reason!.ShouldNotContain("Redis took 300 ms");
    }

    [Fact]
    public void A_sandbox_the_engine_could_not_start_is_retried_then_an_error()
    {
        var down = new ContainerEngineException("the engine refused to create the container");

        AttemptDecision.Decide([StageAttempt.Of(down)]).Next.ShouldBe(AttemptNext.Retry);
        var twice = AttemptDecision.Decide([StageAttempt.Of(down), StageAttempt.Of(new InfrastructureException("The sandbox's test runner did not start (exit code 125)."))]);
        twice.Next.ShouldBe(AttemptNext.Error);
        twice.Reason!.ShouldContain("test runner did not start");
    }

    [Fact]
    public void A_defect_of_CodeLab_is_an_error_at_once_not_retried_into_something_else()
    {
        var decision = AttemptDecision.Decide([StageAttempt.Of(new NullReferenceException("oops"))]);

        decision.Next.ShouldBe(AttemptNext.Error);
        decision.Reason!.ShouldContain("internal error in CodeLab");
    }

    [Fact]
    public void What_the_candidates_code_did_is_conclusive_a_service_that_never_became_ready_a_crash_or_an_incoherent_channel()
    {
        var notReady = new TestOutcome(TestStatuses.Error, "The service did not become ready within 30 s", null, null, null);
        var crashed = new TestOutcome(TestStatuses.Error, "The test process crashed during this test (a stack overflow).", 1, null, null);

        AttemptDecision.Decide([StageAttempt.Of(Tested(("a", notReady), ("b", crashed)))]).Next.ShouldBe(AttemptNext.Score);
        // An integrity failure is never turned into a retry, even with an inconclusive outcome beside it.
        AttemptDecision.Decide([StageAttempt.Of(Tested(("load", Lagged)) with { Integrity = "forged" })]).Next.ShouldBe(AttemptNext.Score);
    }
}
