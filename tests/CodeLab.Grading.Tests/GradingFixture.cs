using CodeLab.Exercises;
using CodeLab.Grading;
using CodeLab.Reports;
using CodeLab.Sandbox;
using CodeLab.TestSupport;

namespace CodeLab.Grading.Tests;

/// <summary>One grading context per test process, over the fixture exercises, with the real engine and image.</summary>
internal static class GradingFixture
{
    public static string Fixtures => Path.Combine(RepositoryPaths.Root, "tests", "CodeLab.Grading.Tests", "Fixtures");

    static readonly Lazy<Task<GradingContext>> Context = new(async () =>
    {
        await DockerSandbox.EngineAsync(); // fails with instructions when no engine answers
        var catalog = ExerciseCatalog.Load(Path.Combine(Fixtures, "exercises"));
        return await GradingContext.CreateAsync(new CodeLabHome(RepositoryPaths.Root), _ => { }, CancellationToken.None, catalog);
    });

    public static async Task<GradeReport> GradeAsync(string folder, string level, string exercise = "counter")
    {
        var context = await Context.Value;
        return await context.CreateGrader().GradeAsync(new GradeRequest(exercise, level, folder), _ => { }, TestContext.Current.CancellationToken);
    }

    public static string Counter(string solution) => Path.Combine(Fixtures, "exercises", "counter", "solutions", solution);

    public static string Hostile(string name) => Path.Combine(Fixtures, "hostile", name);

    /// <summary>Containers this process created that still exist.</summary>
    /// <summary>The containers this process created that are still there (its tests' networks are not counted here).</summary>
    public static Task<IReadOnlyList<string>> ContainersLeftBehindAsync() => TestSupport.DockerSandbox.LeftBehindAsync(networks: false);

    public static TestReport Test(GradeReport report, string method) => report.Tests.Single(t => t.Name.EndsWith("." + method, StringComparison.Ordinal));

    /// <summary>Copies a folder with everything under it (empty folders too) into <paramref name="to"/>, which may exist.</summary>
    public static void CopyTree(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
