using System.CommandLine;
using CodeLab.Exercises;
using CodeLab.Grading;

namespace CodeLab.Cli.Commands;

internal static class ShowCommand
{
    public static Command Create()
    {
        var exercise = new Argument<string>("exercise") { Description = "Exercise id (see ./codelab exercises)." };
        var level = new Option<string?>("--level") { Description = "junior, mid or senior; by default the highest level, which includes every part." };
        var command = new Command("show", "Prints the candidate-facing statement of an exercise for a level.") { exercise, level };
        command.SetAction(parse => Guard.RunAsync(() =>
        {
            var whole = GradingContext.LoadCatalog(CodeLabHome.Locate()).Find(parse.GetValue(exercise)!);
            var chosen = parse.GetValue(level) ?? whole.AllLevels[^1].Id;
            var found = whole.ForLevel(chosen);
            var info = found.Level(chosen);
            Console.WriteLine($"<!-- {found.Id}, level {info.Id}, about {info.TimeEstimateMinutes} minutes; levels: {string.Join(", ", whole.AllLevels.Select(l => $"{l.Id} ({l.TimeEstimateMinutes} min)"))} -->");
            Console.WriteLine();
            Console.Write(Statement.Compose(found, chosen));
            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }
}
