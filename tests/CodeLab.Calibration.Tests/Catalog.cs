using CodeLab.Exercises;
using CodeLab.Grading;
using CodeLab.Reports;
using CodeLab.TestSupport;

namespace CodeLab.Calibration.Tests;

/// <summary>The repository's exercises and a grading context over them (real engine, real image).</summary>
internal static class Catalog
{
    public static readonly ExerciseCatalog Exercises = ExerciseCatalog.Load(RepositoryPaths.Exercises);

    static readonly Lazy<Task<GradingContext>> Context = new(async () =>
    {
        await DockerSandbox.EngineAsync();
        return await GradingContext.CreateAsync(new CodeLabHome(RepositoryPaths.Root), _ => { }, CancellationToken.None, Exercises);
    });

    /// <summary>(exercise, level, solution) for every solution at every level it applies to.</summary>
    public static TheoryData<string, string, string> Grades()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var exercise in Exercises.All.SelectMany(e => e.Parts))
            foreach (var solution in Solution.ReadAll(exercise))
                foreach (var level in solution.Levels)
                    data.Add(exercise.Id, level, solution.Name);
        return data;
    }

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

    public static async Task<GradeReport> GradeAsync(string exercise, string level, Solution solution)
    {
        var context = await Context.Value;
        var report = await context.CreateGrader().GradeAsync(new GradeRequest(exercise, level, solution.Folder), _ => { }, TestContext.Current.CancellationToken);
        // Whatever the grade did (restarts, Redis stopped and started, time-outs), it leaves no container or network.
        (await DockerSandbox.LeftoversAsync()).ShouldBe((0, 0), $"containers and networks left after grading {exercise} {level} {solution.Name}");
        return report;
    }
}
