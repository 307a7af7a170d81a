using System.CommandLine;
using CodeLab.Cli.Output;
using CodeLab.Grading;

namespace CodeLab.Cli.Commands;

/// <summary>
/// `codelab calibrate`: the full calibration of the shipped solutions (see <see cref="Calibrator"/>): a progress line
/// per grade on stderr, the Markdown table on stdout, exit 1 when a grade is not what its folder says or repeats differ.
/// </summary>
internal static class CalibrateCommand
{
    public static Command Create()
    {
        var exercise = new Option<string?>("--exercise") { Description = "Only this exercise (default: all)." };
        var level = new Option<string?>("--level") { Description = "Only this level: junior, mid or senior (default: all)." };
        var repeat = new Option<int?>("--repeat") { Description = "Grades per solution (default: 5 for the reference and alternatives, 3 for flawed solutions)." };
        var output = new Option<string>("--out") { Description = "Folder for every grade's report.json and report.md.", DefaultValueFactory = _ => Path.Combine("artifacts", "calibrate") };
        var parallel = new Option<int>("--parallel") { Description = "Grades running at the same time (a grading server runs 2).", DefaultValueFactory = _ => 1 };
        var command = new Command("calibrate",
            "Grades every shipped solution several times and checks each grade against its folder and the repeats against each other; prints a Markdown table (keep it as the exercise's CALIBRATION.md).")
        {
            exercise, level, repeat, parallel, output,
        };
        command.SetAction((parse, ct) => Guard.RunAsync(async () =>
        {
            var options = CalibrationOptions.Full with { Exercise = parse.GetValue(exercise), Level = parse.GetValue(level), Parallel = parse.GetValue(parallel),
                ReportsFolder = parse.GetValue(output) };
            if (parse.GetValue(repeat) is { } times) options = options.WithRepeat(times);
            var home = CodeLabHome.Locate();
            var planned = Calibrator.Plan(GradingContext.LoadCatalog(home), options);
            var progress = new ConsoleProgress();
            using var context = await GradingContext.CreateAsync(home, progress.Report, ct);
            var calibrator = new Calibrator(context);
            progress.Done();
            Console.Error.WriteLine($"codelab calibrate: {planned.Count} solution(s) and level(s), {planned.Sum(t => t.Repeats)} grades, {options.Parallel} at a time ...");
            var run = await calibrator.RunAsync(options, (grade, done, total) =>
            {
                progress.Done();
                Console.Error.WriteLine(CalibrationMarkdown.ProgressLine(grade, done, total));
            }, p => { if (options.Parallel == 1) progress.Report(p); }, ct);
            progress.Done();
            Console.Write(CalibrationMarkdown.Render(run, "./codelab " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1))));
            foreach (var problem in run.Problems()) Console.Error.WriteLine($"NOT AS EXPECTED: {problem}");
            return run.Ok ? ExitCodes.Ok : ExitCodes.Failed;
        }));
        return command;
    }
}
