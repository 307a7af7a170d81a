using CodeLab.Exercises;
using CodeLab.Grading;

namespace CodeLab.Calibration.Tests;

public sealed class SolutionCalibrationDockerTests
{
    public static TheoryData<string, string, string> Grades() => Catalog.Grades();

    [Theory]
    [MemberData(nameof(Grades))]
    public async Task Every_shipped_solution_scores_what_its_folder_says(string exercise, string level, string solution)
    {
        var found = Catalog.Find(exercise, level, solution);
        var report = await Catalog.GradeAsync(exercise, level, found);
        CodeLab.Grading.Calibration.Check(found, report).ShouldBeNull();
        if (found.Kind == SolutionKind.Flawed)
            TestContext.Current.SendDiagnosticMessage($"{exercise} {level} {solution}: {report.Score.Total} ({report.Summary})");
    }

    [Theory]
    [MemberData(nameof(Grades))]
    public async Task The_same_solution_gets_the_same_grade_every_time(string exercise, string level, string solution)
    {
        // A reference must agree with itself five times in a row (the promise to candidates); other solutions three.
        var found = Catalog.Find(exercise, level, solution);
        var times = found.Kind == SolutionKind.Reference ? 5 : 3;
        var grades = new List<string>();
        for (var i = 0; i < times; i++)
        {
            var report = await Catalog.GradeAsync(exercise, level, found);
            grades.Add(string.Join(", ", report.Score.Criteria.Select(c => $"{c.Id}={c.Score}")) + " | " +
                       string.Join(", ", report.Tests.Where(t => t.Status != "pass").Select(t => $"{t.Name}:{t.Status}")));
        }
        grades.Distinct().Count().ShouldBe(1, string.Join("\n", grades));
    }
}
