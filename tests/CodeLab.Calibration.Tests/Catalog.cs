using CodeLab.Exercises;
using CodeLab.Grading;
using CodeLab.TestSupport;

namespace CodeLab.Calibration.Tests;

/// <summary>The repository's exercises, a grading context over them (real engine, real image) and CI's calibration.</summary>
internal static class Catalog
{
    public static readonly ExerciseCatalog Exercises = ExerciseCatalog.Load(RepositoryPaths.Exercises);

    static readonly Lazy<Task<GradingContext>> Context = new(async () =>
    {
        await DockerSandbox.EngineAsync();
        return await GradingContext.CreateAsync(new CodeLabHome(RepositoryPaths.Root), _ => { }, CancellationToken.None, Exercises);
    });

    /// <summary>A line per finished grade, in the order they finished.</summary>
    public static readonly System.Collections.Concurrent.ConcurrentQueue<string> Progress = new();

    /// <summary>
    /// CI's calibration (<see cref="CalibrationOptions.Ci"/>): every shipped solution at every level it claims graded
    /// once, every reference twice, two grades at a time, started by the first test that asks and shared by all: each
    /// test waits only for the grades it checks. The full repetition (5 and 3 times) is `./codelab calibrate`.
    /// </summary>
    static readonly Lazy<Task<CalibrationSession>> Ci = new(async () =>
        new Calibrator(await Context.Value).Start(CalibrationOptions.Ci with { ReportsFolder = Path.Combine(RepositoryPaths.Root, "artifacts", "calibration", "reports") }, (grade, done, total) => Progress.Enqueue(CalibrationMarkdown.ProgressLine(grade, done, total)), _ => { }, CancellationToken.None));

    public static async Task<CalibrationRow> RowAsync(string exercise, string level, string solution) =>
        await (await Ci.Value).Row(exercise, level, solution);

    public static async Task<CalibrationRun> RunAsync() => await (await Ci.Value).Completion;

    /// <summary>
    /// Starts the calibration if nothing has yet, and returns at once: the workspace tests start it, then build and run
    /// their workspaces beside it at a low priority (<see cref="CandidateWorkspace"/>), so their minutes overlap the
    /// grades'. Its leftovers are only what its own grades created (their scope label): the workspace tests' Redis is not.
    /// </summary>
    public static void Start() => _ = Ci.Value;

    /// <summary>(exercise, level, solution) for every solution at every level it applies to.</summary>
    public static TheoryData<string, string, string> Grades()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var target in Calibrator.Plan(Exercises, CalibrationOptions.Ci))
            data.Add(target.Exercise.Id, target.Level.Id, target.Solution.Name);
        return data;
    }

    /// <summary>(exercise, level) for every level, whose reference CI grades twice.</summary>
    public static TheoryData<string, string> Levels()
    {
        var data = new TheoryData<string, string>();
        foreach (var exercise in Exercises.All)
            foreach (var level in exercise.AllLevels)
                data.Add(exercise.Id, level.Id);
        return data;
    }

    public static Solution Find(string exercise, string level, string solution) =>
        Solution.ReadAll(Exercises.Find(exercise).ForLevel(level)).Single(s => s.Name == solution);
}
