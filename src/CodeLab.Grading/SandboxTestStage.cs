using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CodeLab.Exercises;
using CodeLab.Reports;
using CodeLab.Protocol;
using CodeLab.Sandbox;
using CodeLab.Sandbox.Engine;

namespace CodeLab.Grading;

/// <summary>The test stage's findings: an outcome for every known test, and how the sandbox runs went.</summary>
public sealed record TestStageResult(
    IReadOnlyDictionary<string, TestOutcome> Outcomes,
    SandboxReport Sandbox,
    IReadOnlyList<string> Notes,
    TimeSpan Elapsed)
{
    public IReadOnlyList<LoadReport> Load { get; init; } = [];
    public IReadOnlyList<CheckReport> Checks { get; init; } = [];
}

/// <summary>
/// Stage 4 and 5: runs the compiled tests in fresh sandboxes and maps every known test to a result. Tests run one
/// at a time; when a test hangs or the process dies, that test is charged with it and the rest resume in a new
/// sandbox, so one endless loop costs one test, not the grade. A test that never reported is never a pass.
/// </summary>
public sealed partial class SandboxTestStage(IContainerEngine engine, string image, JudgePlacement? judge = null)
{
    /// <summary>Sandbox runs per grade: the first, plus resumes after a hung or crashed test.</summary>
    public const int MaxRuns = 4;
    static readonly TimeSpan TimeoutGrace = TimeSpan.FromSeconds(3);

    /// <param name="prepared">A sandbox already started for the first run (it is disposed here), or null.</param>
    public async Task<TestStageResult> RunAsync(
        CompileStageResult compiled, IReadOnlyList<TestInfo> tests, LevelLimits limits, IReadOnlyCollection<string> candidateFiles,
        PreparedSandbox? prepared, Action<Progress> progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var outcomes = new Dictionary<string, TestOutcome>(StringComparer.Ordinal);
        foreach (var (id, reason) in compiled.UncompilableTests) outcomes[id] = new TestOutcome(TestStatuses.Error, reason, null, null, null);
        var notes = new List<string>();
        var controlNotes = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var loadReports = new List<LoadReport>();
        var checks = new List<CheckReport>();
        var criteria = tests.ToDictionary(t => t.Id, t => t.Criterion, StringComparer.Ordinal);
        var known = tests.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        SandboxResult? last = null;
        var runs = 0;
        var budget = TimeSpan.FromSeconds(limits.RunTimeoutSeconds);

        while (runs < MaxRuns)
        {
            var pending = tests.Where(t => !outcomes.ContainsKey(t.Id)).Select(t => t.Id).ToList();
            var remaining = budget - Stopwatch.GetElapsedTime(started);
            if (pending.Count == 0 || remaining < TimeSpan.FromSeconds(2)) break;
            runs++;
            var run = new SandboxRun(known, candidateFiles, progress, tests.Count, tests.Count - pending.Count);
            var input = Input(compiled, pending, limits, judge);
            var pendingLoad = judge?.Load.Where(l => pending.Contains(l.Check.TestId)).ToList() ?? [];
            using var stop = new CancellationTokenSource();
            RunnerEventReader reader;
            if (prepared is not null)
            {
                // First run: the container started during compilation and waits for its input.
                reader = new RunnerEventReader(prepared.Secret);
                var target = prepared.Container;
                prepared.RouteOutput(line => Route(reader.Parse(line), run, stop, () => target, controlNotes, cancellationToken));
                await using (prepared)
                {
                    await prepared.Container.SendInputAsync(WorkArchive.WithSecret(prepared.Secret, input), cancellationToken, keepOpen: judge?.Control is not null);
                    last = await prepared.Container.WaitAsync(stop.Token, cancellationToken);
                }
                prepared = null;
            }
            else
            {
                var secret = RandomNumberGenerator.GetHexString(32, lowercase: true);
                reader = new RunnerEventReader(secret);
                var request = PreparedSandbox.Request(image, limits, remaining, judge);
                SandboxContainer? target = null;
                await using var container = await SandboxContainer.StartDeferredAsync(engine, request,
                    line => Route(reader.Parse(line), run, stop, () => target, controlNotes, cancellationToken), cancellationToken);
                target = container;
                await container.SendInputAsync(WorkArchive.WithSecret(secret, input), cancellationToken, keepOpen: judge?.Control is not null);
                last = await container.WaitAsync(stop.Token, cancellationToken);
            }
            if (reader.ForeignLines > 0)
                notes.Add($"{reader.ForeignLines} line(s) of output in sandbox run {runs} did not come from the test runner and were ignored.");
            foreach (var fatal in run.Fatal) notes.Add($"Test runner error in sandbox run {runs}: {fatal}");

            if (!run.SaidHello)
                throw new InfrastructureException($"The sandbox's test runner did not start (exit code {last.ExitCode}). {FirstLines(last.Stderr, 5)}".Trim());

            if (run.NotReady is { } notReady)
            {
                foreach (var id in pending) outcomes[id] = new TestOutcome(TestStatuses.Error, notReady, null, null, null);
                notes.Add(notReady);
                break;
            }
            if (run.ReadyAfterMs is { } readyMs) notes.Add($"The service was ready {readyMs / 1000:0.0} s after the judge started.");
            foreach (var (id, outcome) in run.Outcomes) outcomes[id] = outcome;
            lock (run.Checks)
                checks.AddRange(run.Checks.Select(c => new CheckReport(c.Name, c.TestId is { } t && criteria.TryGetValue(t, out var criterion) ? criterion : "", c.Expected, c.Actual, c.Passed)));
            foreach (var load in pendingLoad)
                if (run.LoadResults.TryGetValue(load.Check.Scenario, out var measured))
                {
                    var (outcome, report) = await LoadOutcome.EvaluateAsync(load.Check, measured);
                    outcomes[load.Check.TestId] = outcome;
                    loadReports.Add(report);
                    if (measured.Json is not null && measured.Message is { } note) notes.Add($"Load scenario {load.Check.Scenario}: {note}");
                }
            var charged = run.TimedOutTest;
            if (run.InFlight is { } hung && !outcomes.ContainsKey(hung))
            {
                outcomes[hung] = Interrupted(last, limits, run.InFlightStartedAt);
                charged = hung;
            }
            if (run.Done) break;
            if (charged is null)
            {
                // Ended between tests without saying it finished: nobody to charge, so stop resuming.
                notes.Add($"Sandbox run {runs} ended without finishing (exit code {last.ExitCode}{(last.TimedOut ? ", wall clock reached" : "")}{(last.OomKilled ? ", out of memory" : "")}).");
                break;
            }
            var more = tests.Any(t => !outcomes.ContainsKey(t.Id));
            notes.Add($"Sandbox run {runs} ended at test {charged} ({outcomes[charged].Message}){(more ? runs < MaxRuns ? "; the remaining tests resumed in a fresh sandbox." : "; no more sandbox runs were allowed." : ".")}");
        }

        if (prepared is not null) await prepared.DisposeAsync(); // never needed (no test left to run)
        notes.AddRange(controlNotes);

        foreach (var test in tests.Where(t => !outcomes.ContainsKey(t.Id)))
            outcomes[test.Id] = TestOutcome.NotRun(last is { TimedOut: true }
                ? "Did not run: the sandbox's wall clock ran out before this test."
                : "Did not run: the sandbox ended before reaching this test.");

        var sandbox = new SandboxReport(image, last?.ExitCode ?? -1, last?.TimedOut ?? false, last?.OomKilled ?? false,
            Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds), runs);
        return new TestStageResult(outcomes, sandbox, notes, Stopwatch.GetElapsedTime(started)) { Load = loadReports, Checks = checks };
    }

    /// <summary>Runner events go to the run's fold, except the judge's requests to act on the world.</summary>
    void Route(RunnerEvent? e, SandboxRun run, CancellationTokenSource stop, Func<SandboxContainer?> target,
        System.Collections.Concurrent.ConcurrentQueue<string> controlNotes, CancellationToken cancellationToken)
    {
        if (e is { Event: RunnerEvents.Control } && judge?.Control is { } control)
            _ = CarryOutAsync(e, control, target, controlNotes, cancellationToken);
        else
            run.Handle(e, stop);
    }

    /// <summary>Does what the judge asked (restart a replica, stop Redis) and answers it on its stdin.</summary>
    static async Task CarryOutAsync(RunnerEvent request, Func<string, CancellationToken, Task> control, Func<SandboxContainer?> target,
        System.Collections.Concurrent.ConcurrentQueue<string> controlNotes, CancellationToken cancellationToken)
    {
        var command = request.Message ?? "";
        var started = Stopwatch.GetTimestamp();
        string answer;
        try
        {
            await control(command, cancellationToken);
            answer = "ok";
            controlNotes.Enqueue($"The judge asked for '{command}' ({Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s).");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            answer = "error " + ex.Message.ReplaceLineEndings(" ");
            controlNotes.Enqueue($"The judge asked for '{command}', which failed: {ex.Message}");
        }
        for (var i = 0; i < 50 && target() is null; i++) await Task.Delay(20, CancellationToken.None);
        if (target() is { } container)
            await container.WriteInputAsync(Encoding.UTF8.GetBytes($"ack {request.Count} {answer}\n"), cancellationToken);
    }

    static TestOutcome Interrupted(SandboxResult result, LevelLimits limits, long startedAt)
    {
        var ran = startedAt == 0 ? (double?)null : Math.Round(Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds);
        if (result.OomKilled)
            return new TestOutcome(TestStatuses.Error, $"The test process ran out of memory (limit {limits.MemoryMb} MB) during this test.", ran, null, null);
        if (result.TimedOut)
            return new TestOutcome(TestStatuses.Timeout, $"The sandbox's wall clock ran out during this test.", ran, null, null);
        var stderr = FirstLines(result.Stderr, 3);
        var why = stderr.Contains("Stack overflow", StringComparison.OrdinalIgnoreCase) ? "a stack overflow"
            : stderr.Contains("Unhandled exception", StringComparison.OrdinalIgnoreCase) ? "an unhandled exception"
            : $"exit code {result.ExitCode}";
        return new TestOutcome(TestStatuses.Error, $"The test process crashed during this test ({why}). {stderr}".Trim(), ran, null, null);
    }

    /// <summary>The runner's work archive: run.json and the compiled assemblies.</summary>
    static byte[] Input(CompileStageResult compiled, IReadOnlyList<string> pending, LevelLimits limits, JudgePlacement? judge)
    {
        var load = judge?.Load.Where(l => pending.Contains(l.Check.TestId)).ToList() ?? [];
        var manifest = new RunManifest
        {
            TestAssembly = CompileStage.TestAssemblyName + ".dll",
            Tests = pending.Where(id => load.All(l => l.Check.TestId != id)).ToList(),
            Load = load.Select(l => new LoadRun { Scenario = l.Check.Scenario, Assembly = l.FileName, LimitMs = (int)TimeSpan.FromSeconds(limits.RunTimeoutSeconds).TotalMilliseconds }).ToList(),
            TestTimeoutMs = limits.TestTimeoutSeconds * 1000,
            WaitFor = judge?.WaitFor ?? [],
            ReadyTimeoutMs = judge?.ReadyTimeoutMs ?? 30_000,
            Control = judge?.Control is not null,
        };
        var files = new List<(string, byte[])> { ("run.json", JsonSerializer.SerializeToUtf8Bytes(manifest)) };
        // A judge never gets the candidate's assembly: it speaks to the service over HTTP.
        if (judge is null)
        {
            files.Add((CompileStage.CandidateAssemblyName + ".dll", compiled.CandidateAssembly!));
            if (compiled.CandidatePdb is { } pdb) files.Add((CompileStage.CandidateAssemblyName + ".pdb", pdb));
        }
        files.Add((CompileStage.TestAssemblyName + ".dll", compiled.TestAssembly!));
        files.AddRange(load.Select(l => (l.FileName, l.Assembly)));
        return WorkArchive.Build(files);
    }


    static string FirstLines(string text, int count) =>
        string.Join(" ", text.Replace("\r", "").Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(count).Select(l => l.Trim()));

    /// <summary>Folds one sandbox run's events into outcomes per known test.</summary>
    sealed class SandboxRun(HashSet<string> known, IReadOnlyCollection<string> candidateFiles, Action<Progress> progress, int total, int alreadyDone)
    {
        readonly Lock gate = new();
        int finished;

        public Dictionary<string, TestOutcome> Outcomes { get; } = new(StringComparer.Ordinal);
        /// <summary>Checks the tests recorded, with the test that was running.</summary>
        public List<(string? TestId, string Name, string Expected, string Actual, bool Passed)> Checks { get; } = [];
        /// <summary>Load scenarios the judge ran: their stats as JSON with an optional note, or no stats and why.</summary>
        public Dictionary<string, (string? Json, string? Message)> LoadResults { get; } = new(StringComparer.Ordinal);
        public List<string> Fatal { get; } = [];
        public bool SaidHello { get; private set; }
        /// <summary>Judge runs: why the candidate's service never became ready (no test ran).</summary>
        public string? NotReady { get; private set; }
        public double? ReadyAfterMs { get; private set; }
        public bool Done { get; private set; }
        public string? InFlight { get; private set; }
        /// <summary>The test the runner itself reported as over its time-out (it then ends the process).</summary>
        public string? TimedOutTest { get; private set; }
        public long InFlightStartedAt { get; private set; }

        public void Handle(RunnerEvent? e, CancellationTokenSource stop)
        {
            if (e is null) return;
            lock (gate)
            {
                switch (e.Event)
                {
                    case RunnerEvents.Hello:
                        SaidHello = true;
                        break;
                    case RunnerEvents.Start when e.TestId is { } id && known.Contains(id):
                        InFlight = id;
                        InFlightStartedAt = Stopwatch.GetTimestamp();
                        break;
                    case RunnerEvents.Result when e.TestId is { } id && known.Contains(id):
                        Fold(id, e);
                        InFlight = null;
                        finished++;
                        progress(new Progress($"tests {alreadyDone + finished}/{total}: {id.Split('.')[^1]} {e.Status}", IsTick: true));
                        break;
                    case RunnerEvents.Timeout when e.TestId is { } id && known.Contains(id):
                        Outcomes[id] = new TestOutcome(TestStatuses.Timeout, $"Did not finish within {e.DurationMs / 1000:0.#} s (the per-test time-out).", e.DurationMs, null, null);
                        InFlight = null;
                        TimedOutTest = id;
                        // The runner ends its own process; if it cannot, the sandbox is stopped for it.
                        stop.CancelAfter(TimeoutGrace);
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
                    case RunnerEvents.Check when e.Method is { } name:
                        Checks.Add((InFlight, name, e.Message ?? "", e.Output ?? "", e.Status == TestStatuses.Pass));
                        break;
                    case RunnerEvents.Load when e.Method is { } scenario:
                        LoadResults[scenario] = (e.Output, e.Message);
                        break;
                    case RunnerEvents.Done:
                        Done = true;
                        break;
                }
            }
        }

        void Fold(string id, RunnerEvent e)
        {
            var status = e.Status switch
            {
                "pass" => TestStatuses.Pass,
                "fail" => TestStatuses.Fail,
                _ => TestStatuses.NotRun,
            };
            var incoming = new TestOutcome(status, CleanMessage(e), e.DurationMs, CandidateFrames(e.StackTrace), e.Output);
            if (!Outcomes.TryGetValue(id, out var existing))
            {
                Outcomes[id] = incoming;
                return;
            }
            // Theory rows: the worst row decides; durations add up.
            var duration = (existing.DurationMs ?? 0) + (incoming.DurationMs ?? 0);
            Outcomes[id] = (existing.Status == TestStatuses.Pass && incoming.Status != TestStatuses.Pass ? incoming : existing) with { DurationMs = duration };
        }

        string? CleanMessage(RunnerEvent e)
        {
            if (e.Message is null) return null;
            var message = ShouldlyPreamble().Replace(e.Message.Replace("\r\n", "\n"), "").Trim();
            if (e.ExceptionType is { } type && !type.StartsWith("Shouldly.", StringComparison.Ordinal) && !type.StartsWith("Xunit.", StringComparison.Ordinal))
                message = $"{type}: {message}";
            return message.Length > 2000 ? message[..2000] + " ..." : message;
        }

        /// <summary>Only frames in the candidate's own files: where their code went wrong, never the tests' code.</summary>
        string? CandidateFrames(string? stack)
        {
            if (string.IsNullOrEmpty(stack)) return null;
            var frames = stack.Split('\n')
                .Select(l => l.Trim())
                .Where(l => StackFrame().Match(l) is { Success: true } m && candidateFiles.Contains(m.Groups["file"].Value))
                .Take(8)
                .ToList();
            return frames.Count == 0 ? null : string.Join("\n", frames);
        }
    }

    [GeneratedRegex(@"^Shouldly uses your source code to generate its great error messages, build your test project with full debug information to get better error messages\s*")]
    private static partial Regex ShouldlyPreamble();

    [GeneratedRegex(@"^at .+ in (?<file>.+):line \d+$")]
    private static partial Regex StackFrame();
}
