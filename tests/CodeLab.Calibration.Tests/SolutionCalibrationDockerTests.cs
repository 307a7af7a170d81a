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
        var found = Catalog.Find(exercise, solution);
        var report = await Catalog.GradeAsync(exercise, level, found);
        CodeLab.Grading.Calibration.Check(found, report).ShouldBeNull();
        if (found.Kind == SolutionKind.Flawed)
            TestContext.Current.SendDiagnosticMessage($"{exercise} {level} {solution}: {report.Score.Total} ({report.Summary})");
    }

    [Theory]
    [MemberData(nameof(Grades))]
    public async Task The_same_solution_gets_the_same_grade_three_times_in_a_row(string exercise, string level, string solution)
    {
        var found = Catalog.Find(exercise, solution);
        var grades = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var report = await Catalog.GradeAsync(exercise, level, found);
            grades.Add(string.Join(", ", report.Score.Criteria.Select(c => $"{c.Id}={c.Score}")) + " | " +
                       string.Join(", ", report.Tests.Where(t => t.Status != "pass").Select(t => $"{t.Name}:{t.Status}")));
        }
        grades.Distinct().Count().ShouldBe(1, string.Join("\n", grades));
    }
}
