using System.CommandLine;
using System.Globalization;
using CodeLab.Cli.Output;
using CodeLab.Grading;

namespace CodeLab.Cli.Commands;

internal static class DemoCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Folder for the reports.", DefaultValueFactory = _ => Path.Combine("artifacts", "demo") };
        var parallel = new Option<int>("--parallel") { Description = "Grades running at the same time (a grading server runs 2).", DefaultValueFactory = _ => DemoRunner.DefaultParallel };
        var command = new Command("demo", "Grades every exercise's reference, alternatives and flawed solutions at every level, two at a time; prints a table and writes reports.") { output, parallel };
        command.SetAction((parse, ct) => Guard.RunAsync(async () =>
        {
            var home = CodeLabHome.Locate();
            var at = parse.GetValue(parallel);
            // The plan before the engine (bad input is said at once), and the catalog it came from is the one graded.
            var catalog = GradingContext.LoadCatalog(home);
            var planned = Calibrator.Plan(catalog, DemoRunner.Options(at));
            var progress = new ConsoleProgress();
            using var context = await GradingContext.CreateAsync(home, progress.Report, ct, catalog);
            var outFolder = Path.GetFullPath(parse.GetValue(output)!);
            string[] headers = ["exercise", "level", "solution", "verdict", "score", "seconds", "expected", "as expected"];
            // Rows are printed as grades end, so the widths come from the plan: the longest exercise and solution names.
            int[] widths = [Math.Max(18, planned.Select(t => t.Exercise.Id.Length).DefaultIfEmpty(0).Max()), 7, Math.Max(26, planned.Select(t => t.Solution.Name.Length).DefaultIfEmpty(0).Max()), 13, 6, 8, 24, 11];
            progress.Done();
            Console.Error.WriteLine($"codelab demo: {planned.Count} grades, {at} at a time; a row as each one ends ...");
            Console.WriteLine(Output.TextTable.FormatRow(headers, widths));
            Console.WriteLine(Output.TextTable.FormatRow(widths.Select(w => new string('-', w)).ToArray(), widths));
            var result = await new DemoRunner(context).RunAsync(outFolder, at, row =>
            {
                progress.Done();
                Console.WriteLine(Output.TextTable.FormatRow(
                    [row.Exercise, row.Level, row.Solution, row.Verdict, row.Score.ToString("0.#", CultureInfo.InvariantCulture),
                     row.Seconds.ToString("0.0", CultureInfo.InvariantCulture), row.Expected, row.Problem is null ? "yes" : "NO"], widths));
            }, p => { if (at == 1) progress.Report(p); }, ct);
            progress.Done();
            Console.WriteLine();
            var rows = result.Rows;
            Console.WriteLine($"{rows.Count} grades in {result.Elapsed.TotalMinutes:0.0} min, {at} at a time ({rows.Sum(r => r.Seconds):0} s of grades); reports under {outFolder}");
            foreach (var row in rows.Where(r => r.Problem is not null)) Console.WriteLine($"NOT AS EXPECTED: {row.Exercise} {row.Level} {row.Solution}: {row.Problem}");
            if (result.Leftovers.Count > 0) Console.WriteLine($"LEFT BEHIND: {string.Join("; ", result.Leftovers)}");
            return result.Ok ? ExitCodes.Ok : ExitCodes.Failed;
        }));
        return command;
    }
}
