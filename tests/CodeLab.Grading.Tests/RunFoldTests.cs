using CodeLab.Protocol;
using CodeLab.Reports;
using CodeLab.Sandbox;

namespace CodeLab.Grading.Tests;

/// <summary>
/// The fold of one run's channel events, fed sequences without Docker: the coherent story a runner tells, and the
/// forged, duplicated, late and out-of-order ones a submission holding the channel's secret could tell.
/// </summary>
public sealed class RunFoldTests
{
    const string A = "Ns.Tests.A";
    const string B = "Ns.Tests.B";

    static RunnerEvent Hello => new() { Event = RunnerEvents.Hello, Count = RunnerChannel.Version, Message = "dumpable=0" };
    static RunnerEvent Start(string id) => new() { Event = RunnerEvents.Start, Class = "Ns.Tests", Method = id.Split('.')[^1] };
    static RunnerEvent Result(string id, string status = "pass") => new() { Event = RunnerEvents.Result, Class = "Ns.Tests", Method = id.Split('.')[^1], Status = status };
    static RunnerEvent Done(int count) => new() { Event = RunnerEvents.Done, Count = count };
    static SandboxResult Exit(long code, bool oom = false) => new() { ContainerName = "c", ExitCode = code, OomKilled = oom, Stderr = "" };

    static RunFold Fold(params RunnerEvent[] events)
    {
        var fold = new RunFold(new HashSet<string>([A, B]), []);
        foreach (var e in events) fold.Handle(e);
        return fold;
    }

    [Fact]
    public void A_coherent_run_folds_into_outcomes()
    {
        var fold = Fold(Hello, Start(A), Result(A), Start(B), Result(B, "fail"), Done(2));
        fold.Ended(Exit(0));
        fold.Integrity.ShouldBeNull();
        fold.Done.ShouldBeTrue();
        fold.Hardening.ShouldBe("dumpable=0");
        fold.Outcomes[A].Status.ShouldBe(TestStatuses.Pass);
        fold.Outcomes[B].Status.ShouldBe(TestStatuses.Fail);
    }

    [Fact]
    public void A_test_failing_with_the_inconclusive_exception_type_is_inconclusive_and_the_same_words_from_another_type_are_a_failure()
    {
        var inconclusive = Result(A, "fail") with { ExceptionType = InconclusiveMeasurement.ExceptionType, Message = "the threads hardly ran at the same time" };
        var lookalike = Result(B, "fail") with { ExceptionType = "CodeLab.Verdicts.InconclusiveExceptions", Message = "the threads hardly ran at the same time" };
        var fold = Fold(Hello, Start(A), inconclusive, Start(B), lookalike, Done(2));
        fold.Ended(Exit(0));
        fold.Integrity.ShouldBeNull();
        fold.Outcomes[A].Status.ShouldBe(TestStatuses.Error);
        fold.Outcomes[A].Inconclusive.ShouldBe("the threads hardly ran at the same time");
        fold.Outcomes[B].Status.ShouldBe(TestStatuses.Fail);
        fold.Outcomes[B].Inconclusive.ShouldBeNull();
    }

    [Fact]
    public void Theory_rows_each_start_and_the_worst_row_decides()
    {
        var fold = Fold(Hello, Start(A), Result(A), Start(A), Result(A, "fail"), Start(A), Result(A), Done(3));
        fold.Ended(Exit(0));
        fold.Integrity.ShouldBeNull();
        fold.Outcomes[A].Status.ShouldBe(TestStatuses.Fail);
    }

    [Fact]
    public void The_forged_full_pass_then_a_crash_is_an_integrity_failure()
    {
        // What the forgery found: every test "passed" and "done" written by candidate code, then the process crashed.
        var fold = Fold(Hello, Start(A), Result(A), Start(B), Result(B), Done(2));
        fold.Ended(Exit(139));
        fold.Integrity.ShouldNotBeNull().ShouldContain("exit code 139");
    }

    [Fact]
    public void Done_then_out_of_memory_is_an_integrity_failure()
    {
        var fold = Fold(Hello, Start(A), Result(A), Done(1));
        fold.Ended(Exit(0, oom: true));
        fold.Integrity.ShouldNotBeNull();
    }

    public static TheoryData<string, RunnerEvent[]> Incoherent => new()
    {
        { "before the runner's hello", [Start(A), Result(A)] },
        { "hello twice", [Hello, Hello] },
        { "did not ask for", [Hello, Start("Ns.Tests.Extra"), Result("Ns.Tests.Extra")] },
        { "while Ns.Tests.A was still running", [Hello, Start(A), Start(B)] },
        { "came while no test was running", [Hello, Result(A)] },
        { "came while Ns.Tests.A was running", [Hello, Start(A), Result(B)] },
        { "came while no test was running", [Hello, Start(A), Result(A), Result(A)] },
        { "after the run said it was done", [Hello, Start(A), Result(A), Done(1), Start(B), Result(B)] },
        { "after 3 results, but 1 came", [Hello, Start(A), Result(A), Done(3)] },
        { "while Ns.Tests.A was running", [Hello, Start(A), Done(0)] },
        { "a time-out for Ns.Tests.B", [Hello, Start(A), new RunnerEvent { Event = RunnerEvents.Timeout, Class = "Ns.Tests", Method = "B", DurationMs = 1 }] },
        { "reported twice", [Hello, new RunnerEvent { Event = RunnerEvents.Load, Method = "s", Output = "{}" }, new RunnerEvent { Event = RunnerEvents.Load, Method = "s", Output = "{}" }] },
        { "unknown kind", [Hello, new RunnerEvent { Event = "pass-all" }] },
    };

    [Theory]
    [MemberData(nameof(Incoherent))]
    public void An_incoherent_story_is_an_integrity_failure_and_nothing_after_it_counts(string expected, RunnerEvent[] events)
    {
        var fold = Fold([.. events, Start(B), Result(B), Done(1)]);
        fold.Integrity.ShouldNotBeNull().ShouldContain(expected);
        fold.Outcomes.ShouldNotContainKey(B, "nothing after the first incoherence is taken");
    }

    [Fact]
    public void A_test_that_timed_out_asks_the_stage_to_stop_the_sandbox()
    {
        var stopped = false;
        var fold = new RunFold(new HashSet<string>([A]), [], onRunnerTimeout: () => stopped = true);
        fold.Handle(Hello);
        fold.Handle(Start(A));
        fold.Handle(new RunnerEvent { Event = RunnerEvents.Timeout, Class = "Ns.Tests", Method = "A", DurationMs = 3000 });
        stopped.ShouldBeTrue();
        fold.TimedOutTest.ShouldBe(A);
        fold.Outcomes[A].Status.ShouldBe(TestStatuses.Timeout);
        fold.Integrity.ShouldBeNull();
    }
}
