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

/// <summary>
/// Stage 4 and 5: runs the compiled tests in fresh sandboxes and maps every known test to a result. Tests run one
/// at a time; when a test hangs or the process dies, that test is charged with it and the rest resume in a new
/// sandbox, so one endless loop costs one test, not the grade. A test that never reported is never a pass.
/// </summary>
/// <param name="timing">Where each run's time goes, by <see cref="GradeStages"/> name (benchmarks); null when nobody asks.</param>
public sealed class SandboxTestStage(IContainerEngine engine, string image, JudgePlacement? judge = null, Action<string, TimeSpan>? timing = null)
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
        SandboxResult? last = null;
        string? integrity = null;
        var runs = 0;
        var budget = TimeSpan.FromSeconds(limits.RunTimeoutSeconds);

        while (runs < MaxRuns)
        {
            var pending = tests.Where(t => !outcomes.ContainsKey(t.Id)).Select(t => t.Id).ToList();
            var remaining = budget - Stopwatch.GetElapsedTime(started);
            if (pending.Count == 0 || remaining < TimeSpan.FromSeconds(2)) break;
            runs++;
            var input = Input(compiled, pending, limits, judge);
            var pendingLoad = judge?.Load.Where(l => pending.Contains(l.Check.TestId)).ToList() ?? [];
            var requested = pending.Where(id => pendingLoad.All(l => l.Check.TestId != id)).ToHashSet(StringComparer.Ordinal);
            using var stop = new CancellationTokenSource();
            var cpu = new LoadCpu(judge);
            var run = new RunFold(requested, candidateFiles, progress, tests.Count, tests.Count - pending.Count, () => stop.CancelAfter(TimeoutGrace));
            RunnerEventReader reader;
            var clock = new RunClock(timing);
            if (prepared is not null)
            {
                // First run: the container started during compilation and waits for its input.
                reader = new RunnerEventReader(prepared.Secret);
                var target = prepared.Container;
                prepared.RouteOutput(line => Route(reader.Parse(line), run, cpu, clock, () => target, controlNotes, cancellationToken));
                try
                {
                    cpu.Begin(target.Id);
                    clock.InputSent();
                    await prepared.Container.SendInputAsync(WorkArchive.WithSecret(prepared.Secret, input), cancellationToken, keepOpen: judge?.Control is not null);
                    last = await prepared.Container.WaitAsync(stop.Token, cancellationToken);
                    clock.Ended();
                }
                finally
                {
                    await TimedAsync(GradeStages.Teardown, () => prepared.DisposeAsync().AsTask());
                }
                prepared = null;
            }
            else
            {
                var secret = RandomNumberGenerator.GetHexString(32, lowercase: true);
                reader = new RunnerEventReader(secret);
                var request = PreparedSandbox.Request(image, limits, remaining, judge);
                SandboxContainer? target = null;
                var starting = Stopwatch.GetTimestamp();
                var container = await SandboxContainer.StartDeferredAsync(engine, request,
                    line => Route(reader.Parse(line), run, cpu, clock, () => target, controlNotes, cancellationToken), cancellationToken);
                timing?.Invoke(GradeStages.SandboxStart, Stopwatch.GetElapsedTime(starting));
                try
                {
                    target = container;
                    cpu.Begin(container.Id);
                    clock.InputSent();
                    await container.SendInputAsync(WorkArchive.WithSecret(secret, input), cancellationToken, keepOpen: judge?.Control is not null);
                    last = await container.WaitAsync(stop.Token, cancellationToken);
                    clock.Ended();
                }
                finally
                {
                    await TimedAsync(GradeStages.Teardown, () => container.DisposeAsync().AsTask());
                }
            }
            run.Ended(last);
            if (run.Integrity is { } broken)
            {
                notes.Add(broken);
                integrity = broken;
                break;
            }
            if (runs == 1 && run.Hardening is { } hardening) notes.Add($"The test process hardened itself before loading any submitted code ({hardening}).");
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
                    var (outcome, report) = await LoadOutcome.EvaluateAsync(load.Check, measured, cpu.During(load.Check.Scenario));
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
        return new TestStageResult(outcomes, sandbox, notes, Stopwatch.GetElapsedTime(started)) { Load = loadReports, Checks = checks, Integrity = integrity };
    }

    /// <summary>Runner events go to the run's fold, except the judge's requests to act on the world.</summary>
    async Task TimedAsync(string stage, Func<Task> work)
    {
        var started = Stopwatch.GetTimestamp();
        try { await work(); }
        finally { timing?.Invoke(stage, Stopwatch.GetElapsedTime(started)); }
    }

    void Route(RunnerEvent? e, RunFold run, LoadCpu cpu, RunClock clock, Func<SandboxContainer?> target,
        System.Collections.Concurrent.ConcurrentQueue<string> controlNotes, CancellationToken cancellationToken)
    {
        if (e is { Event: RunnerEvents.Control } && judge?.Control is { } control)
            _ = CarryOutAsync(e, control, target, controlNotes, cpu, cancellationToken);
        else
        {
            cpu.Observe(e);
            clock.Observe(e);
            run.Handle(e);
        }
    }

    /// <summary>Does what the judge asked (restart a replica, stop Redis) and answers it on its stdin.</summary>
    static async Task CarryOutAsync(RunnerEvent request, Func<string, CancellationToken, Task> control, Func<SandboxContainer?> target,
        System.Collections.Concurrent.ConcurrentQueue<string> controlNotes, LoadCpu cpu, CancellationToken cancellationToken)
    {
        var command = request.Message ?? "";
        var started = Stopwatch.GetTimestamp();
        string answer;
        try
        {
            await control(command, cancellationToken);
            answer = "ok";
            var took = Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (command is not ("load-begin" or "load-end"))
                controlNotes.Enqueue($"The judge asked for '{command}' ({took:0.0} s).");
            else if (command == "load-begin")
            {
                // The run starts once the judge reads this answer: who used the CPU is counted from here, not over the wait.
                cpu.Mark();
                if (took >= 1)
                    controlNotes.Enqueue($"A load run waited {took:0.0} s for another grade's load run to end (one load run at a time on a machine).");
            }
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
}
