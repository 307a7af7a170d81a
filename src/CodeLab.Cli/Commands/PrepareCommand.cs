using System.CommandLine;
using CodeLab.Cli.Output;
using CodeLab.Grading;

namespace CodeLab.Cli.Commands;

internal static class PrepareCommand
{
    public static Command Create()
    {
        var command = new Command("prepare", "Makes grading ready: checks the engine, builds the sandbox image when missing, reaps leftovers (./codelab runs it before grading).");
        command.SetAction((_, ct) => Guard.RunAsync(async () =>
        {
            var progress = new ConsoleProgress();
            using var context = await GradingContext.CreateAsync(CodeLabHome.Locate(), progress.Report, ct);
            progress.Done();
            Console.Error.WriteLine($"sandbox image {context.Image.Tag} ready");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
