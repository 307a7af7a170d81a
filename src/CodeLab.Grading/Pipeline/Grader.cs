using System.Diagnostics;
using CodeLab.Exercises;
using CodeLab.Reports;
using CodeLab.Sandbox.Engine;

namespace CodeLab.Grading;

/// <summary>
/// The grading pipeline, top to bottom: load the exercise and the submission, judge and compile, run the tests
/// in sandboxes, score, assemble the report. Bad requests throw <see cref="BadInputException"/>; a grade the
/// infrastructure could not finish comes back with verdict "error".
/// </summary>
public sealed class Grader(GradingContext context)
{
    readonly CompileStage compileStage = new(context.References);
    readonly LoadScripts loadScripts = new(context.References);

    public async Task<GradeReport> GradeAsync(GradeRequest request, Action<Progress> progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var (exercise, level) = Resolve(request);
        IReadOnlyList<TestInfo> tests;
        try
        {
            tests = exercise.Tests.TestsFor(level.Id);
            _ = exercise.Guidance; // the report quotes it: an exercise without it is refused before anything runs
        }
        catch (ExerciseException ex)
        {
            throw new InfrastructureException($"Exercise '{exercise.Id}' has invalid tests or questions: {ex.Message}", ex);
        }
        var submission = request.Submission ?? SubmissionReader.Read(request.SubmissionFolder);
        if (exercise.Service is { } service)
            return await GradeServiceAsync(exercise, level, service, tests, submission, started, request.Timing, progress, cancellationToken);

        // The sandbox starts while Roslyn compiles: its runner waits on stdin and loads nothing of the submission until
        // the compiled assemblies arrive, and a submission that does not compile (or whose compilation fails in any way)
        // has it removed before its report is written. The container is labelled, so a grader that dies meanwhile
        // leaves it to the exit hook and the reaper.
        var sandbox = StartSandboxEarly(level.Limits, cancellationToken);
        progress(new Progress($"compiling {submission.Files.Count} file(s) ..."));
        CompileStageResult compiled;
        try
        {
            compiled = await Task.Run(() => compileStage.Run(exercise, level.Id, submission, cancellationToken), cancellationToken);
        }
        catch
        {
            await PreparedSandbox.DiscardAsync(sandbox);
            throw;
        }
        request.Timing?.Invoke(GradeStages.Compile, compiled.Elapsed);
        if (compiled.StopVerdict is { } stop)
        {
            await PreparedSandbox.DiscardAsync(sandbox);
            return ReportAssembler.Build(exercise, level, submission, tests, compiled, null, stop, compiled.StopReason, context.ImageId, Stopwatch.GetElapsedTime(started));
        }
        var candidateFiles = submission.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        var attempts = new List<StageAttempt>();
        while (true)
        {
            progress(new Progress($"running {tests.Count} tests in the sandbox ..."));
            try
            {
                var stage = new SandboxTestStage(context.Engine, context.Image.Tag, timing: request.Timing);
                var waiting = Stopwatch.GetTimestamp();
                var ready = await sandbox;
                request.Timing?.Invoke(GradeStages.SandboxStart, Stopwatch.GetElapsedTime(waiting));
                attempts.Add(StageAttempt.Of(await stage.RunAsync(compiled, tests, level.Limits, candidateFiles, ready, progress, cancellationToken)));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                await PreparedSandbox.DiscardAsync(sandbox);
                attempts.Add(StageAttempt.Of(ex));
            }
            if (Decide(exercise, level, submission, tests, compiled, attempts, started, progress) is { } report) return report;
            sandbox = StartSandboxEarly(level.Limits, cancellationToken);
        }
    }

    /// <summary>The report an attempt decides, or null when the stage runs again.</summary>
    GradeReport? Decide(Exercise exercise, ExerciseLevel level, Submission submission, IReadOnlyList<TestInfo> tests, CompileStageResult compiled,
        IReadOnlyList<StageAttempt> attempts, long started, Action<Progress> progress, IReadOnlyList<ServiceLogReport>? serviceLogs = null)
    {
        var decision = AttemptDecision.Decide(attempts);
        var tested = attempts[^1].Tested;
        switch (decision.Next)
        {
            case AttemptNext.Retry:
                progress(new Progress($"inconclusive ({decision.Reason}); running the stage once more in fresh containers ..."));
                return null;
            case AttemptNext.Score:
                return Assemble(exercise, level, submission, tests, compiled, decision.Reason is { } note ? tested! with { Notes = [note, .. tested!.Notes] } : tested!, started, serviceLogs);
            default:
                // The attempt's figures stay in the report for the reviewer; its verdict is error, so nothing is scored.
                return ReportAssembler.Build(exercise, level, submission, tests, compiled, tested, Verdicts.Error, decision.Reason, context.ImageId, Stopwatch.GetElapsedTime(started))
                    with { ServiceLogs = serviceLogs ?? [] };
        }
    }

    /// <summary>A graded report, unless the runs' story was incoherent: then an error that says so, and no score.</summary>
    GradeReport Assemble(Exercise exercise, ExerciseLevel level, Submission submission, IReadOnlyList<TestInfo> tests, CompileStageResult compiled, TestStageResult tested, long started,
        IReadOnlyList<ServiceLogReport>? serviceLogs = null) =>
        (tested.Integrity is { } broken
            ? ReportAssembler.Build(exercise, level, submission, tests, compiled, null, Verdicts.Error,
                $"Integrity failure: {broken} A correct runner never does this, so the results were not trusted and nothing was scored; review the submission by hand.",
                context.ImageId, Stopwatch.GetElapsedTime(started))
            : ReportAssembler.Build(exercise, level, submission, tests, compiled, tested, Verdicts.Graded, null, context.ImageId, Stopwatch.GetElapsedTime(started)))
        with { ServiceLogs = serviceLogs ?? [] };

    Task<PreparedSandbox> StartSandboxEarly(LevelLimits limits, CancellationToken cancellationToken) =>
        PreparedSandbox.StartAsync(context.Engine, context.Image.Tag, limits, null, cancellationToken);

    /// <summary>
    /// A service exercise: the network, Redis, the replicas' and the judge's containers start while Roslyn compiles;
    /// then the compiled service is sent to its replicas, and the hidden tests run in the judge container beside it,
    /// speaking HTTP.
    /// </summary>
    async Task<GradeReport> GradeServiceAsync(Exercise exercise, ExerciseLevel level, ServiceSettings service, IReadOnlyList<TestInfo> tests,
        Submission submission, long started, Action<string, TimeSpan>? timing, Action<Progress> progress, CancellationToken cancellationToken)
    {
        // No candidate service runs unless the host can be fenced off from its network: fail closed, before anything starts.
        if (await context.Fence.ProblemAsync(cancellationToken) is { } problem) throw new InfrastructureException(problem);
        var replicas = service.ReplicasAt(level);
        // The world (network, Redis, the replicas' and the judge's containers, their runners waiting on stdin) starts
        // while Roslyn compiles; nothing of the submission runs before the compiled service is sent, and a submission
        // that does not compile (or whose compilation fails in any way) has it all removed before its report is written.
        var world = ServiceWorld.StartAsync(context.Engine, context.Fence, context.Image.Tag, service, level.Limits, replicas, cancellationToken);
        progress(new Progress($"compiling {submission.Files.Count} file(s) ..."));
        CompileStageResult compiled;
        IReadOnlyList<CompiledLoad> load;
        try
        {
            compiled = await Task.Run(() => compileStage.Run(exercise, level.Id, submission, cancellationToken), cancellationToken);
            load = compiled.StopVerdict is null ? await Task.Run(() => loadScripts.Compile(exercise, level.Id), cancellationToken) : [];
        }
        catch
        {
            await DisposeAsync(world);
            throw;
        }
        timing?.Invoke(GradeStages.Compile, compiled.Elapsed);
        if (compiled.StopVerdict is { } stop)
        {
            await DisposeAsync(world);
            return ReportAssembler.Build(exercise, level, submission, tests, compiled, null, stop, compiled.StopReason, context.ImageId, Stopwatch.GetElapsedTime(started));
        }
        var candidateFiles = submission.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        var attempts = new List<StageAttempt>();
        IReadOnlyList<ServiceLogReport> logs = [];
        while (true)
        {
            progress(new Progress($"starting the service ({replicas} replica{(replicas == 1 ? "" : "s")}{(service.Redis ? ", Redis" : "")}) and running {tests.Count} tests against it ..."));
            try
            {
                var waiting = Stopwatch.GetTimestamp();
                var running = await world;
                var judge = await running.TakeJudgeAsync();
                try
                {
                    await running.ServeAsync(compiled.CandidateAssembly!, compiled.CandidatePdb, cancellationToken);
                }
                catch
                {
                    await judge.DisposeAsync();
                    throw;
                }
                timing?.Invoke(GradeStages.SandboxStart, Stopwatch.GetElapsedTime(waiting));
                var stage = new SandboxTestStage(context.Engine, context.Image.Tag, running.Judge(replicas) with { Load = load }, timing);
                var tested = await stage.RunAsync(compiled, tests, level.Limits, candidateFiles, judge, progress, cancellationToken);
                // Each replica's whole log goes to a file beside the report; the report keeps its warnings and errors.
                logs = running.ServiceLogs().Select(l => ServiceLogDigest.Read(l.Replica, l.Text, l.Truncated)).ToList();
                attempts.Add(StageAttempt.Of(tested));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                attempts.Add(StageAttempt.Of(ex));
            }
            finally
            {
                // Nothing of one attempt's world (containers, Redis, network) survives into the next.
                var removing = Stopwatch.GetTimestamp();
                await DisposeAsync(world);
                timing?.Invoke(GradeStages.Teardown, Stopwatch.GetElapsedTime(removing));
            }
            if (Decide(exercise, level, submission, tests, compiled, attempts, started, progress, logs) is { } report) return report;
            world = ServiceWorld.StartAsync(context.Engine, context.Fence, context.Image.Tag, service, level.Limits, replicas, cancellationToken);
        }
    }

    static async Task DisposeAsync(Task<ServiceWorld> world)
    {
        try
        {
            await (await world).DisposeAsync();
        }
        catch (Exception ex) when (ex is ContainerEngineException or OperationCanceledException or InfrastructureException)
        {
            // The world never started (its failure is the attempt's) or is reaped on the next start.
        }
    }

    /// <summary>
    /// Whatever stopped the test stage becomes a report with verdict "error", never a crash of the grader: the engine or the
    /// machine failing, or a defect of CodeLab's own (named as such, so nobody blames the candidate for it).
    /// </summary>
    internal static string Unfinished(Exception ex) => ex is ContainerEngineException or InfrastructureException
        ? $"Grading could not finish for a reason outside the submission: {ex.Message} Grade again once it is fixed (./codelab doctor)."
        : $"Grading could not finish because of an internal error in CodeLab ({ex.GetType().Name}: {ex.Message}); the submission was not judged. Please report it.";

    (Exercise, ExerciseLevel) Resolve(GradeRequest request)
    {
        try
        {
            var exercise = context.Catalog.Find(request.ExerciseId).ForLevel(request.Level);
            return (exercise, exercise.Level(request.Level));
        }
        catch (ExerciseException ex)
        {
            throw new BadInputException(ex.Message);
        }
    }
}
