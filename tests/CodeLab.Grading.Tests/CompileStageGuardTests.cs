using System.Diagnostics;
using System.Text;
using CodeLab.Compilation;
using CodeLab.Exercises;
using CodeLab.Reports;
using CodeLab.TestSupport;

namespace CodeLab.Grading.Tests;

/// <summary>
/// The grader never dies on a submission: code built to crash, exhaust or stall the compiler ends as a compile-error
/// verdict with a reason, in bounded time and memory. No Docker needed: compilation runs before any container starts.
/// </summary>
public sealed class CompileStageGuardTests
{
    static readonly Lazy<(CompileStage Stage, Exercise Counter)> Setup = new(() =>
    {
        var catalog = ExerciseCatalog.Load(Path.Combine(GradingFixture.Fixtures, "exercises"));
        return (new CompileStage(new ReferenceAssemblies(RepositoryPaths.RunnerBuild)), catalog.Find("counter").ForLevel("mid"));
    });

    static CompileStageResult Compile(string code)
    {
        var folder = Directory.CreateTempSubdirectory("codelab-guard").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, "src"));
            foreach (var file in Directory.GetFiles(Path.Combine(GradingFixture.Counter("reference"), "src")))
                File.Copy(file, Path.Combine(folder, "src", Path.GetFileName(file)));
            File.WriteAllText(Path.Combine(folder, "src", "Extra.cs"), code);
            var (stage, counter) = Setup.Value;
            return stage.Run(counter, "mid", SubmissionReader.Read(folder), TestContext.Current.CancellationToken);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public async Task Doubling_string_constants_stop_as_a_compile_error_within_the_memory_budget()
    {
        var code = new StringBuilder("namespace Counting;\npublic static class Big\n{\n    public const string A0 = \"0123456789abcdef\";\n");
        for (var i = 1; i <= 34; i++) code.Append($"    public const string A{i} = A{i - 1} + A{i - 1};\n");
        code.Append("    public static int Length => A34.Length;\n}\n");
        var before = Process.GetCurrentProcess().PeakWorkingSet64;

        // Unguarded, the constant would need 512 GB (2^38 characters): the compile could not end well. The guard stops
        // it by memory or by the stage's 60 s time-out; the 5 minutes only keep a hang from stalling the suite (a
        // calibration runs beside it).
        var result = await Task.Run(() => Compile(code.ToString()), TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken);

        result.StopVerdict.ShouldBe(Verdicts.CompileError, result.StopReason);
        var grown = Process.GetCurrentProcess().PeakWorkingSet64 - before;
        grown.ShouldBeLessThan(3L * 1024 * 1024 * 1024, "a grade's compile must stay far below the machine's memory");
    }

    [Theory]
    [InlineData("(", ")")]
    [InlineData("-", "")]
    [InlineData("b ? 1 : ", "")]
    [InlineData("new[] { ", " }")]
    public void Deeply_nested_code_is_a_compile_error_not_a_stack_overflow(string open, string close)
    {
        const int depth = 20_000;
        var expression = string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth));
        var result = Compile($"namespace Counting;\npublic static class Deep\n{{\n    public static object F(bool b) => {expression};\n}}\n");
        result.StopVerdict.ShouldBe(Verdicts.CompileError);
        result.StopReason.ShouldNotBeNull().ShouldContain("nested");
    }

    [Fact]
    public void Shipped_solutions_stay_far_below_the_depth_limit()
    {
        var deepest = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "exercises"), "*.cs", SearchOption.AllDirectories)
            .Max(f => CompileGuard.Depth(Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(File.ReadAllText(f))));
        deepest.ShouldBeLessThan(CompileGuard.MaxSyntaxDepth / 4);
    }

    [Fact]
    public void Brackets_inside_strings_comments_and_characters_do_not_count()
    {
        var many = new string('(', 400);
        var code = $"class A {{ string s = \"{many}\"; string v = @\"{many}\"\"\"; string r = \"\"\"\n{many}\n\"\"\"; char c = '('; /* {many} */ // {many}\n string i = $\"{{x}} {many}\"; }}";
        Should.NotThrow(() => CompileGuard.CheckBrackets("a.cs", code));
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "exercises"), "*.cs", SearchOption.AllDirectories))
            Should.NotThrow(() => CompileGuard.CheckBrackets(file, File.ReadAllText(file)));
    }
}

/// <summary>
/// Names the candidate declares must not capture the tests' own calls (C# prefers a ShouldBe or an Assert in an
/// enclosing namespace over Shouldly's and xUnit's). Such test files are set aside with the reason; nothing they
/// would have asserted can pass. No Docker needed.
/// </summary>
public sealed class TestBindingCaptureTests
{
    static CompileStageResult CompileWithReference(string extra)
    {
        var folder = Directory.CreateTempSubdirectory("codelab-capture").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, "src"));
            foreach (var file in Directory.GetFiles(Path.Combine(GradingFixture.Counter("flawed/racy"), "src")))
                File.Copy(file, Path.Combine(folder, "src", Path.GetFileName(file)));
            File.WriteAllText(Path.Combine(folder, "src", "Capture.cs"), extra);
            var catalog = ExerciseCatalog.Load(Path.Combine(GradingFixture.Fixtures, "exercises"));
            var stage = new CompileStage(new ReferenceAssemblies(RepositoryPaths.RunnerBuild));
            return stage.Run(catalog.Find("counter").ForLevel("mid"), "mid", SubmissionReader.Read(folder), TestContext.Current.CancellationToken);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Theory]
    [InlineData("namespace Counting; public static class Capture { public static void ShouldBe(this int actual, int expected, string? because = null) { } }")]
    [InlineData("namespace Counting; public static class Capture { public static void ShouldBe<T>(this T actual, T expected, string? because = null) { } public static void ShouldBeGreaterThan<T>(this T a, T b, string? c = null) { } }")]
    [InlineData("namespace Shouldly { public static class Capture { public static void ShouldBe(this int actual, int expected, string? because = null) { } } }")]
    [InlineData("namespace Counting.Tests { public static class Capture { public static void ShouldBe(this int actual, int expected, string? because = null) { } } }")]
    [InlineData("public static class Capture { public static void ShouldBe(this int actual, int expected, string? because = null) { } }")]
    public void A_candidate_ShouldBe_never_stands_in_for_Shouldly(string extra)
    {
        var result = CompileWithReference(extra);
        result.UncompilableTests.Keys.ShouldContain(id => id.EndsWith(".Value_counts_increments", StringComparison.Ordinal),
            $"verdict {result.StopVerdict}: {result.StopReason}; set aside: {string.Join(", ", result.UncompilableTests.Keys)}");
        result.UncompilableTests.Values.First().ShouldContain("binds to");
    }

    [Fact]
    public void Ordinary_helpers_with_their_own_names_change_nothing()
    {
        var result = CompileWithReference("namespace Counting; public static class Helpers { public static int Twice(this int x) => 2 * x; }");
        result.StopVerdict.ShouldBeNull(result.StopReason);
        result.UncompilableTests.ShouldBeEmpty();
    }
}
