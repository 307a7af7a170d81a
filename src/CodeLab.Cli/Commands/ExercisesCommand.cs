using System.CommandLine;
using System.Text.Json;
using CodeLab.Cli.Output;
using CodeLab.Grading;

namespace CodeLab.Cli.Commands;

internal static class ExercisesCommand
{
    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array: { id, title, kind, skills, levels: [{ id, timeEstimateMinutes }] }." };
        var command = new Command("exercises", "The catalog: exercises with their skills, levels and time estimates.") { json };
        command.SetAction(parse => Guard.RunAsync(() =>
        {
            var catalog = GradingContext.LoadCatalog(CodeLabHome.Locate());
            if (parse.GetValue(json))
            {
                var items = catalog.All.Select(e => new
                {
                    id = e.Id,
                    title = e.Title,
                    kind = e.Kind,
                    summary = e.Summary,
                    skills = e.AllSkills,
                    levels = e.AllLevels.Select(l => new { id = l.Id, kind = e.ForLevel(l.Id).Kind, timeEstimateMinutes = l.TimeEstimateMinutes }),
                });
                Console.WriteLine(JsonSerializer.Serialize(items, Indented));
                return Task.FromResult(ExitCodes.Ok);
            }
            var table = new TextTable("exercise", "title", "kind", "levels", "skills");
            foreach (var e in catalog.All)
                table.Add(e.Id, e.Title, e.KindSummary, string.Join(", ", e.AllLevels.Select(l => $"{l.Id} {l.TimeEstimateMinutes}m")), string.Join(", ", e.AllSkills));
            Console.WriteLine(table);
            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }
}
