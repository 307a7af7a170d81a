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

    public async Task<GradeReport> GradeAsync(GradeRequest request, Action<Progress> progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var (exercise, level) = Resolve(request);
        IReadOnlyList<TestInfo> tests;
        try
        {
            tests = exercise.Tests.TestsFor(level.Id);
        }
        catch (ExerciseException ex)
        {
            throw new InfrastructureException($"Exercise '{exercise.Id}' has invalid tests: {ex.Message}", ex);
        }
        var submission = SubmissionReader.Read(request.SubmissionFolder);

        // The sandbox starts while Roslyn compiles; the runner inside waits for the compiled assemblies.
        var sandbox = StartSandboxEarly(level.Limits, cancellationToken);
        progress(new Progress($"compiling {submission.Files.Count} file(s) ..."));
        CompileStageResult compiled;
        try
        {
            compiled = await Task.Run(() => compileStage.Run(exercise, level.Id, submission, cancellationToken), cancellationToken);
        }
        catch
        {
            await DiscardAsync(sandbox);
            throw;
        }
        if (compiled.StopVerdict is { } stop)
        {
            await DiscardAsync(sandbox);
            return ReportAssembler.Build(exercise, level, submission, tests, compiled, null, stop, compiled.StopReason, context.ImageId, Stopwatch.GetElapsedTime(started));
        }

        progress(new Progress($"running {tests.Count} tests in the sandbox ..."));
        TestStageResult tested;
        try
        {
            var stage = new SandboxTestStage(context.Engine, context.Image.Tag);
            var candidateFiles = submission.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
            tested = await stage.RunAsync(compiled, tests, level.Limits, candidateFiles, await sandbox, progress, cancellationToken);
        }
        catch (Exception ex) when (ex is ContainerEngineException or InfrastructureException)
        {
            await DiscardAsync(sandbox);
            var reason = $"Grading could not finish for a reason outside the submission: {ex.Message} Grade again once it is fixed (./codelab doctor).";
            return ReportAssembler.Build(exercise, level, submission, tests, compiled, null, Verdicts.Error, reason, context.ImageId, Stopwatch.GetElapsedTime(started));
        }
        return ReportAssembler.Build(exercise, level, submission, tests, compiled, tested, Verdicts.Graded, null, context.ImageId, Stopwatch.GetElapsedTime(started));
    }

    Task<PreparedSandbox> StartSandboxEarly(LevelLimits limits, CancellationToken cancellationToken) =>
        PreparedSandbox.StartAsync(context.Engine, context.Image.Tag, limits, cancellationToken);

    /// <summary>Removes an early sandbox that will not be used (or failed to start: the test stage reports that).</summary>
    static async Task DiscardAsync(Task<PreparedSandbox> sandbox)
    {
        try
        {
            await (await sandbox).DisposeAsync();
        }
        catch (Exception ex) when (ex is ContainerEngineException or OperationCanceledException or ObjectDisposedException)
        {
            // Nothing was started, or it is gone already.
        }
    }

    (Exercise, ExerciseLevel) Resolve(GradeRequest request)
    {
        try
        {
            var exercise = context.Catalog.Find(request.ExerciseId);
            return (exercise, exercise.Level(request.Level));
        }
        catch (ExerciseException ex)
        {
            throw new BadInputException(ex.Message);
        }
    }
}
