using System.Diagnostics;
using CodeLab.Exercises;
using CodeLab.Reports;
using CodeLab.Sandbox;

namespace CodeLab.Grading;

/// <summary>A calibration under way (see <see cref="Calibrator.Start"/>).</summary>
public sealed class CalibrationSession
{
    readonly GradingContext context;
    readonly Dictionary<CalibrationTarget, TaskCompletionSource<CalibrationGrade>[]> grades = [];
    readonly Dictionary<string, Task<CalibrationRow>> rows = new(StringComparer.Ordinal);
    /// <summary>What this calibration's grades label their containers and networks with (<see cref="SandboxLabels.CurrentScope"/>).</summary>
    readonly string scope = "calibration-" + System.Security.Cryptography.RandomNumberGenerator.GetHexString(12, lowercase: true);

    internal CalibrationSession(GradingContext context, IReadOnlyList<CalibrationTarget> plan, CalibrationOptions options,
        Action<CalibrationGrade, int, int> onGrade, Action<Progress> progress, CancellationToken cancellationToken)
    {
        this.context = context;
        Targets = plan;
        foreach (var target in plan)
        {
            var slots = Enumerable.Range(0, target.Repeats).Select(_ => new TaskCompletionSource<CalibrationGrade>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
            grades[target] = slots;
            rows[target.Name] = RowAsync(target, slots);
        }
        Completion = RunAsync(plan, options, onGrade, progress, cancellationToken);
    }

    public IReadOnlyList<CalibrationTarget> Targets { get; }

    public Task<CalibrationRun> Completion { get; }

    /// <summary>The row of one target ("exercise level solution"), complete once its repeats are graded.</summary>
    public Task<CalibrationRow> Row(string exercise, string level, string solution) =>
        rows.TryGetValue($"{exercise} {level} {solution}", out var row) ? row
        : throw new ArgumentException($"{exercise} {level} {solution} is not in this calibration.");

    static async Task<CalibrationRow> RowAsync(CalibrationTarget target, TaskCompletionSource<CalibrationGrade>[] slots)
    {
        var done = new List<CalibrationGrade>();
        foreach (var slot in slots) done.Add(await slot.Task);
        return new CalibrationRow(target, done);
    }

    async Task<CalibrationRun> RunAsync(IReadOnlyList<CalibrationTarget> plan, CalibrationOptions options,
        Action<CalibrationGrade, int, int> onGrade, Action<Progress> progress, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var started = options.Time.GetLocalNow();
        var clock = Stopwatch.StartNew();
        var machine = MachineSummary.Read();
        var queue = new Queue<(CalibrationTarget Target, int Attempt)>(Order(plan, options.Parallel));
        var total = queue.Count;
        var finished = 0;
        var gate = new Lock();

        async Task WorkAsync()
        {
            SandboxLabels.CurrentScope = scope;
            var grader = context.CreateGrader();
            while (true)
            {
                // Once cancelled, no target is started and no grade is handed over: a grade the cancellation cut
                // short ends as an error report ("the process is exiting"), which is not what its solution scores.
                cancellationToken.ThrowIfCancellationRequested();
                (CalibrationTarget Target, int Attempt) next;
                lock (gate)
                {
                    if (!queue.TryDequeue(out next)) return;
                }
                var grade = await GradeAsync(grader, next.Target, next.Attempt, progress, cancellationToken);
                cancellationToken.ThrowIfCancellationRequested();
                if (options.ReportsFolder is { } folder && grade.Report is { } report)
                {
                    var where = Path.Combine(folder, next.Target.Exercise.Id, next.Target.Level.Id, next.Target.Solution.Name, next.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    await ReportFiles.WriteAsync(report, where, ["json", "md"], cancellationToken);
                }
                int count;
                lock (gate) count = ++finished;
                onGrade(grade, count, total);
                grades[next.Target][next.Attempt - 1].SetResult(grade);
            }
        }

        try
        {
            await Task.WhenAll(Enumerable.Range(0, Math.Min(options.Parallel, Math.Max(1, total))).Select(_ => Task.Run(WorkAsync, cancellationToken)));
        }
        catch (Exception ex)
        {
            foreach (var slot in grades.Values.SelectMany(s => s)) slot.TrySetException(ex);
            throw;
        }
        var done = new List<CalibrationRow>();
        foreach (var target in plan) done.Add(await rows[target.Name]);
        // Those of other work in the same process (a test's own Redis, another job) are not this calibration's leftovers.
        var leftovers = await SandboxLeftovers.DescribeAsync(context.Engine, scope, networks: true, cancellationToken);
        return new CalibrationRun(done, Calibration.Figures(done), leftovers, options, started, clock.Elapsed, machine);
    }

    /// <summary>
    /// The order grades are taken in. Repeat-major: every target once, then the second grades, ... so the repeats of one
    /// solution meet different neighbours and a different machine, as grades on a server would. Within a round, higher
    /// levels first: a level's grade runs the tests of the levels below it and its own (restarts, load runs), so it
    /// takes longer, and a calibration that ends on its shortest grades does not leave one worker finishing a long
    /// grade alone while the others have nothing left (a CI run ended on webhook-pipeline senior's reference, 80 s,
    /// beside idempotent-payments senior's, 35 s). Then the workers take from different stretches (see <see cref="Spread{T}"/>).
    /// </summary>
    internal static IReadOnlyList<(CalibrationTarget Target, int Attempt)> Order(IReadOnlyList<CalibrationTarget> plan, int parallel)
    {
        var order = new List<(CalibrationTarget, int)>();
        for (var attempt = 1; attempt <= plan.Select(t => t.Repeats).DefaultIfEmpty(0).Max(); attempt++)
        {
            var round = plan.Where(t => t.Repeats >= attempt).OrderByDescending(t => Levels.Rank(t.Level.Id)).ToList();
            foreach (var target in Spread(round, parallel)) order.Add((target, attempt));
        }
        return order;
    }

    /// <summary>
    /// The round cut into <paramref name="parallel"/> stretches (of a round in level order, see <see cref="Order"/>),
    /// taken one from each in turn: grades that run at the same time are mostly of different levels. Grades of one level last alike, so workers that
    /// took neighbours in catalog order stayed in step, and their load runs and timed tests met every time.
    /// </summary>
    internal static IReadOnlyList<T> Spread<T>(IReadOnlyList<T> round, int parallel)
    {
        if (parallel <= 1 || round.Count <= parallel) return round;
        var size = (round.Count + parallel - 1) / parallel;
        var stretches = round.Chunk(size).ToList();
        var spread = new List<T>(round.Count);
        for (var i = 0; i < size; i++)
            foreach (var stretch in stretches)
                if (i < stretch.Length) spread.Add(stretch[i]);
        return spread;
    }

    static async Task<CalibrationGrade> GradeAsync(Grader grader, CalibrationTarget target, int attempt, Action<Progress> progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var report = await grader.GradeAsync(new GradeRequest(target.Exercise.Id, target.Level.Id, target.Solution.Folder) { Submission = ShippedSolutions.Read(target.Solution) }, progress, cancellationToken);
            var seconds = Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 1);
            return new CalibrationGrade(target, attempt, report, seconds, Calibration.Check(target.Solution, report));
        }
        catch (Exception ex) when (ex is InfrastructureException or BadInputException)
        {
            var seconds = Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 1);
            return new CalibrationGrade(target, attempt, null, seconds, $"grading failed: {ex.Message}");
        }
    }
}
