using System.CommandLine;
using CodeLab.Cli.Output;
using CodeLab.Exercises;
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
        var solution = new Option<string?>("--solution") { Description = "Only this solution: 'reference', or an alternative's or a flawed solution's folder name (default: all)." };
        var correct = new Option<bool>("--correct") { Description = "Only the solutions that must score 100: the reference and the alternatives." };
        var save = new Option<bool>("--save") { Description = "Keep the results in the exercise folders: the table as CALIBRATION.md (whole exercises only) and the reference's figures as reference-figures.json (shown beside a candidate's in reports)." };
        var parallel = new Option<int>("--parallel") { Description = "Grades running at the same time (a grading server runs 2).", DefaultValueFactory = _ => 1 };
        var command = new Command("calibrate",
            "Grades every shipped solution several times and checks each grade against its folder and the repeats against each other; prints a Markdown table (keep it as the exercise's CALIBRATION.md).")
        {
            exercise, level, solution, correct, repeat, parallel, output, save,
        };
        command.SetAction((parse, ct) => Guard.RunAsync(async () =>
        {
            var options = CalibrationOptions.Full with { Exercise = parse.GetValue(exercise), Level = parse.GetValue(level), Solution = parse.GetValue(solution), CorrectOnly = parse.GetValue(correct), Parallel = parse.GetValue(parallel),
                ReportsFolder = parse.GetValue(output) };
            if (parse.GetValue(repeat) is { } times) options = options.WithRepeat(times);
            var home = CodeLabHome.Locate();
            var catalog = GradingContext.LoadCatalog(home);
            var planned = Calibrator.Plan(catalog, options);
            var progress = new ConsoleProgress();
            using var context = await GradingContext.CreateAsync(home, progress.Report, ct, catalog);
            var calibrator = new Calibrator(context);
            progress.Done();
            Console.Error.WriteLine($"codelab calibrate: {planned.Count} solution(s) and level(s), {planned.Sum(t => t.Repeats)} grades, {options.Parallel} at a time ...");
            var run = await calibrator.RunAsync(options, (grade, done, total) =>
            {
                progress.Done();
                Console.Error.WriteLine(CalibrationMarkdown.ProgressLine(grade, done, total));
            }, p => { if (options.Parallel == 1) progress.Report(p); }, ct);
            progress.Done();
            var table = CalibrationMarkdown.Render(run, "./codelab " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)));
            Console.Write(table);
            if (parse.GetValue(save)) Save(run, table, wholeExercises: options.Level is null && options.Solution is null && !options.CorrectOnly);
            foreach (var problem in run.Problems()) Console.Error.WriteLine($"NOT AS EXPECTED: {problem}");
            return run.Ok ? ExitCodes.Ok : ExitCodes.Failed;
        }));
        return command;
    }

    /// <summary>Writes what --save keeps; a run that failed still keeps its table (it says what failed), never the reference's figures.</summary>
    static void Save(CalibrationRun run, string table, bool wholeExercises)
    {
        var measuredOn = $"{run.Started:yyyy-MM-dd} ({run.Machine.Cpus} CPUs{(run.Machine.MemoryGiB is { } gib ? $", {gib:0} GiB" : "")})";
        if (run.Ok)
            foreach (var (part, figures) in run.ReferenceFigures())
            {
                var merged = ReferenceFigures.Load(part.Folder).With(figures);
                if (merged.IsEmpty) continue;
                merged.Save(part.Folder, measuredOn);
                Console.Error.WriteLine($"codelab calibrate: the reference's figures kept in {Path.Combine(part.Folder, ReferenceFigures.FileName)}");
            }
        else
            Console.Error.WriteLine("codelab calibrate: not as expected, so the reference's figures were not kept.");
        if (!wholeExercises)
        {
            Console.Error.WriteLine("codelab calibrate: --level or --solution calibrates part of an exercise, so CALIBRATION.md was left as it was.");
            return;
        }
        foreach (var folder in run.Rows.Select(r => r.Target.Exercise.Folder).Distinct().Where(f => File.Exists(Path.Combine(f, "exercise.json"))).Select(TopFolder).Distinct())
        {
            File.WriteAllText(Path.Combine(folder, "CALIBRATION.md"), table);
            Console.Error.WriteLine($"codelab calibrate: table kept in {Path.Combine(folder, "CALIBRATION.md")}");
        }
    }

    /// <summary>The exercise's own folder for a part folder (exercises/rate-limiter/distributed -> exercises/rate-limiter).</summary>
    static string TopFolder(string folder) =>
        Directory.GetParent(folder) is { } parent && File.Exists(Path.Combine(parent.FullName, "exercise.json")) ? parent.FullName : folder;
}
