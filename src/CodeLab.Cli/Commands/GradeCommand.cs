using System.CommandLine;
using System.Globalization;
using CodeLab.Cli.Output;
using CodeLab.Grading;
using CodeLab.Reports;

namespace CodeLab.Cli.Commands;

internal static class GradeCommand
{
    public static Command Create()
    {
        var submission = new Argument<string>("dir") { Description = "The candidate's workspace folder." };
        var exercise = new Option<string>("--exercise") { Description = "Exercise id.", Required = true };
        var level = new Option<string>("--level") { Description = "junior, mid or senior.", Required = true };
        var output = new Option<string?>("--out") { Description = "Folder for the reports (default: ./codelab-reports/<exercise>-<level>)." };
        var format = new Option<string>("--format") { Description = "Report formats, comma-separated: json, md, html (one self-contained file).", DefaultValueFactory = _ => "json,md" };
        var command = new Command("grade", "Grades a submission folder and writes report.json and report.md (report.html with --format html).") { submission, exercise, level, output, format };
        command.SetAction((parse, ct) => Guard.RunAsync(async () =>
        {
            var formats = parse.GetValue(format)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (formats.Length == 0 || formats.Any(f => !ReportFiles.Formats.Contains(f)))
                throw new BadInputException($"--format takes json, md and html separated by commas, e.g. json,md,html (not '{parse.GetValue(format)}').");
            var folder = parse.GetValue(submission)!;
            // A hand-in the grader would refuse is refused before the engine and the image are prepared: bad input
            // needs no Docker and is told at once. What is graded is this one reading, never the folder again.
            // A flawed solution's folder holds only its changes: the catalog that knows its base is loaded once, here.
            var catalog = File.Exists(Path.Combine(folder, "flaw.json")) ? GradingContext.LoadCatalog(CodeLabHome.Locate()) : null;
            var shipped = catalog is null ? null : ShippedSolutions.Find(catalog, folder);
            var handedIn = shipped is null ? SubmissionReader.Read(folder) : ShippedSolutions.Read(shipped);
            var outFolder = parse.GetValue(output) ?? Path.Combine("codelab-reports", $"{parse.GetValue(exercise)}-{parse.GetValue(level)}");

            var progress = new ConsoleProgress();
            using var context = await GradingContext.CreateAsync(CodeLabHome.Locate(), progress.Report, ct, catalog);
            var report = await context.CreateGrader().GradeAsync(new GradeRequest(parse.GetValue(exercise)!, parse.GetValue(level)!, folder) { Submission = handedIn }, progress.Report, ct);
            var written = await ReportFiles.WriteAsync(report, outFolder, formats, ct);
            progress.Done();

            // The summary can quote the candidate (a compiler message, a file name): shown with control characters
            // made visible, so it cannot rewrite the verdict line above it.
            Console.WriteLine($"{report.Exercise} ({report.Level}): {Points(report.Score.Total)} / 100, {report.Verdict}");
            Console.WriteLine($"recommendation: {report.Recommendation.Decision}");
            Console.WriteLine(CandidateText.Visible(report.Summary));
            foreach (var c in report.Score.Criteria)
                Console.WriteLine($"  {Points(c.Score),5} / {Points(c.Max),-3}  {CandidateText.Visible(c.Title)} ({c.TestsPassed}/{c.TestsTotal} tests)");
            foreach (var path in written) Console.WriteLine($"report: {path}");
            return report.Verdict == Verdicts.Error ? ExitCodes.Infrastructure : ExitCodes.Ok;
        }));
        return command;
    }

    static string Points(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
