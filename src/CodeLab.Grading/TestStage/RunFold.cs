using System.Diagnostics;
using CodeLab.Protocol;
using CodeLab.Reports;
using CodeLab.Sandbox;

namespace CodeLab.Grading;

/// <summary>
/// Folds one sandbox run's channel events into an outcome per test, and accepts only a coherent story (DESIGN.md,
/// trust model, third layer): hello first and once; a start only for a test this run asked for and only when none is
/// in flight; each result or time-out for the test in flight; checks and load results before the end; done last, with
/// a count that matches the results sent, followed by nothing and by a clean exit of the process. Anything else is an
/// <see cref="Integrity"/> failure, which the grade reports as such and never scores. A legitimate runner never
/// produces one: it means the channel was forged (or CodeLab has a defect).
/// </summary>
public sealed class RunFold(
    IReadOnlySet<string> requested,
    IReadOnlyCollection<string> candidateFiles,
    Action<Progress>? progress = null,
    int total = 0,
    int alreadyDone = 0,
    Action? onRunnerTimeout = null)
{
    readonly Lock gate = new();
    int results;
    int finished;

    public Dictionary<string, TestOutcome> Outcomes { get; } = new(StringComparer.Ordinal);
    /// <summary>Checks the tests recorded, with the test that was running.</summary>
    public List<(string? TestId, string Name, string Expected, string Actual, bool Passed)> Checks { get; } = [];
    /// <summary>Load scenarios the judge ran: their stats as JSON with an optional note, or no stats and why.</summary>
    public Dictionary<string, (string? Json, string? Message)> LoadResults { get; } = new(StringComparer.Ordinal);
    public List<string> Fatal { get; } = [];
    public bool SaidHello { get; private set; }
    /// <summary>What the runner says it did to harden its process (hello's message).</summary>
    public string? Hardening { get; private set; }
    /// <summary>Judge runs: why the candidate's service never became ready (no test ran).</summary>
    public string? NotReady { get; private set; }
    public double? ReadyAfterMs { get; private set; }
    public bool Done { get; private set; }
    public string? InFlight { get; private set; }
    /// <summary>The test the runner itself reported as over its time-out (it then ends the process).</summary>
    public string? TimedOutTest { get; private set; }
    public long InFlightStartedAt { get; private set; }
    /// <summary>The first incoherence seen, in words; null while the story holds.</summary>
    public string? Integrity { get; private set; }

    public void Handle(RunnerEvent? e)
    {
        if (e is null) return;
        lock (gate)
        {
            if (Integrity is not null) return;
            if (Done) { Fail($"a '{e.Event}' event came after the run said it was done"); return; }
            if (!SaidHello && e.Event != RunnerEvents.Hello) { Fail($"a '{e.Event}' event came before the runner's hello"); return; }
            switch (e.Event)
            {
                case RunnerEvents.Hello:
                    if (SaidHello) { Fail("the runner said hello twice"); return; }
                    SaidHello = true;
                    Hardening = e.Message;
                    break;
                case RunnerEvents.Start:
                    if (e.TestId is not { } started || !requested.Contains(started)) { Fail($"a test this run did not ask for started ({e.TestId ?? "no name"})"); return; }
                    if (InFlight is { } running) { Fail($"{started} started while {running} was still running"); return; }
                    InFlight = started;
                    InFlightStartedAt = Stopwatch.GetTimestamp();
                    break;
                case RunnerEvents.Result:
                    if (e.TestId is not { } id || id != InFlight) { Fail($"a result for {e.TestId ?? "no test"} came while {InFlight ?? "no test"} was running"); return; }
                    Fold(id, e);
                    InFlight = null;
                    results++;
                    finished++;
                    progress?.Invoke(new Progress($"tests {alreadyDone + finished}/{total}: {id.Split('.')[^1]} {e.Status}", IsTick: true));
                    break;
                case RunnerEvents.Timeout:
                    if (e.TestId is not { } late || late != InFlight) { Fail($"a time-out for {e.TestId ?? "no test"} came while {InFlight ?? "no test"} was running"); return; }
                    Outcomes[late] = new TestOutcome(TestStatuses.Timeout, $"Did not finish within {e.DurationMs / 1000:0.#} s (the per-test time-out).", e.DurationMs, null, null);
                    InFlight = null;
                    TimedOutTest = late;
                    // The runner ends its own process; if it cannot, the sandbox is stopped for it.
                    onRunnerTimeout?.Invoke();
                    break;
                case RunnerEvents.NotReady:
                    NotReady = e.Message ?? "The service did not become ready.";
                    break;
                case RunnerEvents.Ready:
                    ReadyAfterMs = e.DurationMs;
                    break;
                case RunnerEvents.Fatal:
                    Fatal.Add($"{e.ExceptionType} {e.Message}".Trim());
                    break;
                case RunnerEvents.Cleanup:
                    break;
                case RunnerEvents.Check when e.Method is { } name:
                    Checks.Add((InFlight, name, e.Message ?? "", e.Output ?? "", e.Status == TestStatuses.Pass));
                    break;
                case RunnerEvents.Load when e.Method is { } scenario:
                    if (InFlight is not null) { Fail($"load scenario {scenario} reported while {InFlight} was running"); return; }
                    if (!LoadResults.TryAdd(scenario, (e.Output, e.Message))) { Fail($"load scenario {scenario} reported twice"); return; }
                    break;
                case RunnerEvents.Done:
                    if (InFlight is { } open) { Fail($"the run said it was done while {open} was running"); return; }
                    if (e.Count != results) { Fail($"the run said it was done after {e.Count} results, but {results} came"); return; }
                    Done = true;
                    break;
                default:
                    Fail($"an event of unknown kind '{e.Event}' came");
                    break;
            }
        }
    }

    /// <summary>How the sandbox ended: a run that said it was done must then have exited cleanly.</summary>
    public void Ended(SandboxResult result)
    {
        lock (gate)
        {
            if (Integrity is null && Done && (result.ExitCode != 0 || result.OomKilled || result.TimedOut))
                Fail($"the run said it was done, then its process ended with exit code {result.ExitCode}{(result.OomKilled ? " (out of memory)" : "")}{(result.TimedOut ? " (wall clock)" : "")}");
        }
    }

    void Fail(string what) => Integrity = $"The sandbox's result channel told an incoherent story: {what}.";

    void Fold(string id, RunnerEvent e)
    {
        var status = e.Status switch
        {
            "pass" => TestStatuses.Pass,
            "fail" => TestStatuses.Fail,
            _ => TestStatuses.NotRun,
        };
        var incoming = new TestOutcome(status, ResultMessages.Clean(e), e.DurationMs, ResultMessages.CandidateFrames(e.StackTrace, candidateFiles), e.Output);
        if (status == TestStatuses.Fail && e.ExceptionType == CodeLab.Protocol.InconclusiveMeasurement.ExceptionType)
        {
            var why = string.IsNullOrWhiteSpace(e.Message) ? "the test's measurement proved nothing about the submission" : e.Message.Trim();
            incoming = incoming with { Status = TestStatuses.Error, Message = $"Inconclusive: {why}", Inconclusive = why };
        }
        if (!Outcomes.TryGetValue(id, out var existing))
        {
            Outcomes[id] = incoming;
            return;
        }
        // Theory rows: the worst row decides; durations add up.
        var duration = (existing.DurationMs ?? 0) + (incoming.DurationMs ?? 0);
        Outcomes[id] = (existing.Status == TestStatuses.Pass && incoming.Status != TestStatuses.Pass ? incoming : existing) with { DurationMs = duration };
    }
}
