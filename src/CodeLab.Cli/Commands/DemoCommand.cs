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
        var command = new Command("demo", "Grades every exercise's reference and flawed solutions at every level; prints a table and writes reports.") { output };
        command.SetAction((parse, ct) => Guard.RunAsync(async () =>
        {
            var progress = new ConsoleProgress();
            using var context = await GradingContext.CreateAsync(CodeLabHome.Locate(), progress.Report, ct);
            var outFolder = Path.GetFullPath(parse.GetValue(output)!);
            string[] headers = ["exercise", "level", "solution", "verdict", "score", "seconds", "expected", "as expected"];
            int[] widths = [18, 7, 26, 13, 6, 8, 24, 11];
            progress.Done();
            Console.WriteLine(Output.TextTable.FormatRow(headers, widths));
            Console.WriteLine(Output.TextTable.FormatRow(widths.Select(w => new string('-', w)).ToArray(), widths));
            var rows = await new DemoRunner(context).RunAsync(outFolder, row =>
            {
                progress.Done();
                Console.WriteLine(Output.TextTable.FormatRow(
                    [row.Exercise, row.Level, row.Solution, row.Verdict, row.Score.ToString("0.#", CultureInfo.InvariantCulture),
                     row.Seconds.ToString("0.0", CultureInfo.InvariantCulture), row.Expected, row.Problem is null ? "yes" : "NO"], widths));
            }, progress.Report, ct);
            progress.Done();
            Console.WriteLine();
            var wrong = rows.Where(r => r.Problem is not null).ToList();
            Console.WriteLine($"{rows.Count} grades in {rows.Sum(r => r.Seconds):0} s; reports under {outFolder}");
            foreach (var row in wrong) Console.WriteLine($"NOT AS EXPECTED: {row.Exercise} {row.Level} {row.Solution}: {row.Problem}");
            return wrong.Count == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        }));
        return command;
    }
}
