using CodeLab.Reports;

namespace CodeLab.Grading;

/// <summary>
/// `codelab demo`: every shipped solution of every exercise at every level it claims, graded once, as the calibration
/// plans and orders them, <see cref="DefaultParallel"/> at a time as a grading server runs them. Each report goes to
/// &lt;out&gt;/&lt;exercise&gt;/&lt;level&gt;/&lt;solution&gt;/, each row to the caller as its grade ends.
/// </summary>
public sealed class DemoRunner(GradingContext context)
{
    /// <summary>Two grades at a time: what a grading server runs on a 2-core machine, and what CI's calibration proves grades hold at.</summary>
    public const int DefaultParallel = 2;

    /// <summary>The demo's plan as calibration options: every shipped solution once, <paramref name="parallel"/> at a time.</summary>
    public static CalibrationOptions Options(int parallel) => CalibrationOptions.Full.WithRepeat(1) with { Parallel = parallel };

    public async Task<DemoResult> RunAsync(string outputFolder, int parallel, Action<DemoRow> onRow, Action<Progress> progress, CancellationToken cancellationToken)
    {
        var session = new Calibrator(context).Start(Options(parallel), (_, _, _) => { }, progress, cancellationToken);
        var rows = new List<DemoRow>();
        var pending = session.Targets.Select(t => session.Row(t.Exercise.Id, t.Level.Id, t.Solution.Name));
        try
        {
            await foreach (var finished in Task.WhenEach(pending).WithCancellation(cancellationToken))
            {
                var grade = (await finished).Grades.Single();
                var (exercise, level, solution) = (grade.Target.Exercise.Id, grade.Target.Level.Id, grade.Target.Solution);
                if (grade.Report is { } report)
                    await ReportFiles.WriteAsync(report, Path.Combine(outputFolder, exercise, level, solution.Name), ["json", "md"], cancellationToken);
                var row = new DemoRow(exercise, level, solution.Name, solution.Kind.ToString().ToLowerInvariant(), grade.Report?.Verdict ?? "not graded",
                    grade.Report?.Score.Total ?? 0, grade.Seconds, Calibration.Expectation(solution), grade.Problem);
                rows.Add(row);
                onRow(row);
            }
        }
        catch
        {
            // Cancelled (or a grade threw): the grades still running end and remove their containers before this
            // returns. WhenAny waits for the session without rethrowing its exception; the one caught here goes on.
            await Task.WhenAny(session.Completion);
            throw;
        }
        var run = await session.Completion;
        return new DemoResult(rows, run.Elapsed, run.Leftovers);
    }
}

/// <summary>The demo's rows in the order their grades ended, how long it took, and what the grades left in the engine.</summary>
public sealed record DemoResult(IReadOnlyList<DemoRow> Rows, TimeSpan Elapsed, IReadOnlyList<string> Leftovers)
{
    public bool Ok => Rows.All(r => r.Problem is null) && Leftovers.Count == 0;
}
