using System.Diagnostics;
using CodeLab.Exercises;
using CodeLab.Reports;
using CodeLab.Sandbox;

namespace CodeLab.Grading;

/// <summary>
/// How many times each shipped solution is graded, how many grades run at once, and which exercise and level.
/// <see cref="Full"/> is `codelab calibrate` (the proof that a grade repeats); <see cref="Ci"/> is what the calibration
/// tests run on every build (every solution once, every reference a second time).
/// </summary>
public sealed record CalibrationOptions
{
    public string? Exercise { get; init; }
    public string? Level { get; init; }
    /// <summary>Grades running at the same time (a grading server runs two on a 2-core machine).</summary>
    public int Parallel { get; init; } = 1;
    public required Func<SolutionKind, int> Repeats { get; init; }
    /// <summary>Where each grade's report.json and report.md go (&lt;exercise&gt;/&lt;level&gt;/&lt;solution&gt;/&lt;attempt&gt;/); none when null.</summary>
    public string? ReportsFolder { get; init; }
    /// <summary>In words, for the table's header ("5 (reference, alternatives), 3 (flawed)").</summary>
    public required string RepeatsText { get; init; }

    public static CalibrationOptions Full => new()
    {
        Repeats = kind => kind == SolutionKind.Flawed ? 3 : 5,
        RepeatsText = "5 (reference, alternatives), 3 (flawed)",
    };

    public static CalibrationOptions Ci => new()
    {
        Parallel = 2,
        Repeats = kind => kind == SolutionKind.Reference ? 2 : 1,
        RepeatsText = "2 (reference), 1 (alternatives, flawed)",
    };

    public CalibrationOptions WithRepeat(int times) => this with { Repeats = _ => times, RepeatsText = times.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}

/// <summary>One shipped solution at one level, graded <see cref="Repeats"/> times.</summary>
public sealed record CalibrationTarget(Exercise Exercise, ExerciseLevel Level, Solution Solution, int Repeats)
{
    public string Name => $"{Exercise.Id} {Level.Id} {Solution.Name}";
}

/// <summary>One grade of a target: its report (null when grading threw), seconds, and what is wrong with it, if anything.</summary>
public sealed record CalibrationGrade(CalibrationTarget Target, int Attempt, GradeReport? Report, double Seconds, string? Problem)
{
    /// <summary>What must be equal between repeats: verdict, score per criterion, status of every test that did not pass.</summary>
    public string Fingerprint => Report is null ? $"no report ({Problem})" : Calibration.Fingerprint(Report);
}

/// <summary>A target's grades, in the order they were made, and whether they are what the solution's folder says.</summary>
public sealed record CalibrationRow(CalibrationTarget Target, IReadOnlyList<CalibrationGrade> Grades)
{
    public IReadOnlyList<double?> Scores => Grades.Select(g => g.Report?.Score.Total).ToList();

    /// <summary>Every grade meets the expectation.</summary>
    public bool AsExpected => Grades.All(g => g.Problem is null);

    /// <summary>Every repeat has the same fingerprint.</summary>
    public bool Agrees => Grades.Select(g => g.Fingerprint).Distinct(StringComparer.Ordinal).Count() <= 1;

    public bool Ok => AsExpected && Agrees;

    public string Verdict => (AsExpected, Agrees) switch
    {
        (true, true) => "ok",
        (false, true) => "NOT AS EXPECTED",
        (true, false) => "DIFFERS",
        _ => "NOT AS EXPECTED, DIFFERS",
    };

    public double MedianSeconds => Calibration.Median(Grades.Select(g => g.Seconds).ToList());

    /// <summary>What is wrong, in words (empty when the row is ok).</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var grade in Grades.Where(g => g.Problem is not null))
            yield return $"{Target.Name} grade {grade.Attempt} of {Grades.Count}: {grade.Problem}";
        if (!Agrees)
        {
            var distinct = Grades.GroupBy(g => g.Fingerprint, StringComparer.Ordinal)
                .Select(g => $"grade{(g.Count() == 1 ? "" : "s")} {string.Join(", ", g.Select(x => x.Attempt))}: {g.Key}");
            yield return $"{Target.Name}: the repeats differ: {string.Join(" / ", distinct)}";
        }
    }
}

/// <summary>
/// A timing-sensitive figure a report carries, over a target's repeats, beside its threshold: a load threshold's
/// actual value (p99, failed %), or a check whose expectation is a bound ("&lt; 1000").
/// </summary>
public sealed record CalibrationFigure(CalibrationTarget Target, string Name, string Threshold, IReadOnlyList<double> Values);

/// <summary>A whole calibration: its rows, the figures, and what the engine still held afterwards.</summary>
public sealed record CalibrationRun(
    IReadOnlyList<CalibrationRow> Rows, IReadOnlyList<CalibrationFigure> Figures, IReadOnlyList<string> Leftovers,
    CalibrationOptions Options, DateTimeOffset Started, TimeSpan Elapsed, MachineSummary Machine)
{
    public bool Ok => Rows.All(r => r.Ok) && Leftovers.Count == 0;

    public IEnumerable<string> Problems() =>
        Rows.SelectMany(r => r.Problems())
            .Concat(Leftovers.Count == 0 ? [] : [$"left behind after the grades: {string.Join("; ", Leftovers)}"]);
}

/// <summary>
/// `codelab calibrate` and the calibration tests: grades every shipped solution of the chosen exercises and levels
/// the chosen number of times, <see cref="CalibrationOptions.Parallel"/> grades at a time, with one grading context
/// (a warm compiler) for all, and checks each grade against what its folder says and the repeats against each other.
/// Afterwards nothing this process created may be left in the engine.
/// </summary>
public sealed class Calibrator(GradingContext context)
{
    /// <summary>
    /// The targets, in catalog order (exercise, part, level, reference, alternatives, flawed). Checked before any
    /// engine is needed: an unknown exercise or level, or a count below 1, is bad input.
    /// </summary>
    public static IReadOnlyList<CalibrationTarget> Plan(ExerciseCatalog catalog, CalibrationOptions options)
    {
        if (options.Parallel < 1) throw new BadInputException($"--parallel must be at least 1 (not {options.Parallel}).");
        IEnumerable<Exercise> exercises = catalog.All;
        if (options.Exercise is { } id)
        {
            try { exercises = [catalog.Find(id)]; }
            catch (ExerciseException ex) { throw new BadInputException(ex.Message); }
        }
        var targets = new List<CalibrationTarget>();
        foreach (var exercise in exercises)
        {
            if (options.Level is { } wanted && exercise.AllLevels.All(l => l.Id != wanted))
                throw new BadInputException($"Exercise '{exercise.Id}' has no level '{wanted}': it has {string.Join(", ", exercise.AllLevels.Select(l => l.Id))}.");
            foreach (var part in exercise.Parts)
            {
                var solutions = Solution.ReadAll(part);
                foreach (var level in part.Levels.Where(l => options.Level is null || l.Id == options.Level))
                    foreach (var solution in solutions.Where(s => s.Levels.Contains(level.Id)))
                    {
                        var repeats = options.Repeats(solution.Kind);
                        if (repeats < 1) throw new BadInputException($"--repeat must be at least 1 (not {repeats}).");
                        targets.Add(new CalibrationTarget(part, level, solution, repeats));
                    }
            }
        }
        return targets;
    }

    /// <summary>
    /// Starts grading: <see cref="CalibrationSession.Row"/> completes as soon as a target's repeats are graded,
    /// <see cref="CalibrationSession.Completion"/> when all are and the engine has been checked for leftovers.
    /// </summary>
    public CalibrationSession Start(CalibrationOptions options, Action<CalibrationGrade, int, int> onGrade, Action<Progress> progress, CancellationToken cancellationToken) =>
        new(context, Plan(context.Catalog, options), options, onGrade, progress, cancellationToken);

    public Task<CalibrationRun> RunAsync(CalibrationOptions options, Action<CalibrationGrade, int, int> onGrade, Action<Progress> progress, CancellationToken cancellationToken) =>
        Start(options, onGrade, progress, cancellationToken).Completion;
}

/// <summary>A calibration under way (see <see cref="Calibrator.Start"/>).</summary>
public sealed class CalibrationSession
{
    readonly GradingContext context;
    readonly Dictionary<CalibrationTarget, TaskCompletionSource<CalibrationGrade>[]> grades = [];
    readonly Dictionary<string, Task<CalibrationRow>> rows = new(StringComparer.Ordinal);

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
        var started = DateTimeOffset.Now;
        var clock = Stopwatch.StartNew();
        var machine = MachineSummary.Read();
        // Repeat-major order: every target once, then the second grades, ... so the repeats of one solution meet
        // different neighbours and a different machine, as grades on a server would.
        var queue = new Queue<(CalibrationTarget Target, int Attempt)>();
        for (var attempt = 1; attempt <= plan.Select(t => t.Repeats).DefaultIfEmpty(0).Max(); attempt++)
            foreach (var target in plan.Where(t => t.Repeats >= attempt))
                queue.Enqueue((target, attempt));
        var total = queue.Count;
        var finished = 0;
        var gate = new Lock();

        async Task WorkAsync()
        {
            var grader = context.CreateGrader();
            while (true)
            {
                (CalibrationTarget Target, int Attempt) next;
                lock (gate)
                {
                    if (!queue.TryDequeue(out next)) return;
                }
                var grade = await GradeAsync(grader, next.Target, next.Attempt, progress, cancellationToken);
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
        var leftovers = await LeftoversAsync(cancellationToken);
        return new CalibrationRun(done, Calibration.Figures(done), leftovers, options, started, clock.Elapsed, machine);
    }

    static async Task<CalibrationGrade> GradeAsync(Grader grader, CalibrationTarget target, int attempt, Action<Progress> progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var report = await grader.GradeAsync(new GradeRequest(target.Exercise.Id, target.Level.Id, target.Solution.Folder), progress, cancellationToken);
            var seconds = Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 1);
            return new CalibrationGrade(target, attempt, report, seconds, Calibration.Check(target.Solution, report));
        }
        catch (Exception ex) when (ex is InfrastructureException or BadInputException)
        {
            var seconds = Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 1);
            return new CalibrationGrade(target, attempt, null, seconds, $"grading failed: {ex.Message}");
        }
    }

    /// <summary>Containers and networks this process created that are still there, by role and run.</summary>
    async Task<IReadOnlyList<string>> LeftoversAsync(CancellationToken cancellationToken)
    {
        var containers = await context.Engine.ListContainersAsync(SandboxLabels.Marker, cancellationToken);
        var networks = await context.Engine.ListNetworksAsync(SandboxLabels.Marker, cancellationToken);
        static bool Ours(IReadOnlyDictionary<string, string> labels) => labels.GetValueOrDefault(SandboxLabels.Owner) == SandboxLabels.CurrentOwner;
        static string Describe(string kind, string name, IReadOnlyDictionary<string, string> labels) =>
            $"{kind} {name} (role {labels.GetValueOrDefault(SandboxLabels.Role) ?? "-"}, run {labels.GetValueOrDefault(SandboxLabels.Run) ?? "-"})";
        return containers.Where(c => Ours(c.Labels)).Select(c => Describe("container", c.Names.FirstOrDefault()?.TrimStart('/') ?? c.Id[..12], c.Labels))
            .Concat(networks.Where(n => Ours(n.Labels)).Select(n => Describe("network", n.Name, n.Labels)))
            .ToList();
    }
}

/// <summary>The machine a calibration ran on: CPUs, memory, load average at the start.</summary>
public sealed record MachineSummary(string Host, int Cpus, double? MemoryGiB, string? LoadAverage)
{
    public static MachineSummary Read()
    {
        double? memory = null;
        string? load = null;
        try
        {
            var total = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            if (total is not null && long.TryParse(total.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out var kb)) memory = Math.Round(kb / 1024.0 / 1024.0, 1);
            load = string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return new MachineSummary(Environment.MachineName, Environment.ProcessorCount, memory, load);
    }

    public override string ToString() =>
        $"{Cpus} CPUs (nproc), {(MemoryGiB is { } m ? $"{m:0.#} GiB memory" : "memory unknown")}, {Environment.OSVersion.VersionString}" +
        (LoadAverage is null ? "" : $", load average {LoadAverage} at the start");
}
