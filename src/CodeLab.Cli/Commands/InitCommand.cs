using System.CommandLine;
using CodeLab.Exercises;
using CodeLab.Grading;

namespace CodeLab.Cli.Commands;

internal static class InitCommand
{
    public static Command Create()
    {
        var exercise = new Argument<string>("exercise") { Description = "Exercise id (see ./codelab exercises)." };
        var level = new Option<string>("--level") { Description = "junior, mid or senior.", Required = true };
        var dir = new Option<string>("--dir") { Description = "Folder to create the workspace in (new or empty).", Required = true };
        var command = new Command("init", "Writes a candidate workspace: statement, starter code, public tests; `dotnet test` runs them.") { exercise, level, dir };
        command.SetAction(parse => Guard.RunAsync(() =>
        {
            var found = GradingContext.LoadCatalog(CodeLabHome.Locate()).Find(parse.GetValue(exercise)!).ForLevel(parse.GetValue(level)!);
            var target = Path.GetFullPath(parse.GetValue(dir)!);
            var files = WorkspaceWriter.Write(found, parse.GetValue(level)!, target);
            Console.WriteLine($"Workspace for {found.Id} ({parse.GetValue(level)}) written to {target} ({files.Count} files).");
            Console.WriteLine(found.Kind == "service"
                ? $"Next: cd {target} && dotnet run --project tests/LocalRun    (starts Redis and the service, runs the public tests; the statement is in README.md)"
                : $"Next: cd {target} && dotnet test    (the statement is in README.md)");
            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }
}
