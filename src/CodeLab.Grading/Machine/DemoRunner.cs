using System.Diagnostics;
using CodeLab.Reports;

namespace CodeLab.Grading;

/// <summary>
/// `codelab demo`: grades every exercise's reference, alternative and flawed solutions at every level they
/// apply to, writes each report under the output folder, and says whether each grade is what it should be.
/// </summary>
public sealed class DemoRunner(GradingContext context)
{
    public async Task<IReadOnlyList<DemoRow>> RunAsync(string outputFolder, Action<DemoRow> onRow, Action<Progress> progress, CancellationToken cancellationToken)
    {
        var grader = context.CreateGrader();
        var rows = new List<DemoRow>();
        // The same solutions at the same levels as calibration, each graded once.
        foreach (var (exercise, level, solution, _) in Calibrator.Plan(context.Catalog, CalibrationOptions.Full.WithRepeat(1)))
        {
            progress(new Progress($"{exercise.Id} {level.Id} {solution.Name} ..."));
            var started = Stopwatch.GetTimestamp();
            var report = await grader.GradeAsync(new GradeRequest(exercise.Id, level.Id, solution.Folder) { Submission = ShippedSolutions.Read(solution) }, progress, cancellationToken);
            var seconds = Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 1);
            var folder = Path.Combine(outputFolder, exercise.Id, level.Id, solution.Name);
            await ReportFiles.WriteAsync(report, folder, ["json", "md"], cancellationToken);
            var row = new DemoRow(exercise.Id, level.Id, solution.Name, solution.Kind.ToString().ToLowerInvariant(), report.Verdict,
                report.Score.Total, seconds, Calibration.Expectation(solution), Calibration.Check(solution, report));
            rows.Add(row);
            onRow(row);
        }
        return rows;
    }
}
