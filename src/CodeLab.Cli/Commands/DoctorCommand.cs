using System.CommandLine;
using CodeLab.Grading;

namespace CodeLab.Cli.Commands;

internal static class DoctorCommand
{
    public static Command Create()
    {
        var command = new Command("doctor", "Says what is ready and what is missing (engine, image, versions, exercises).");
        command.SetAction((_, ct) => Guard.RunAsync(async () =>
        {
            var checks = await MachineDoctor.CheckAsync(CodeLabHome.Locate(), ct);
            foreach (var check in checks)
            {
                Console.WriteLine($"{(check.Ready ? "ok     " : "MISSING")}  {check.Name}: {check.Detail}");
                if (!check.Ready && check.Fix is not null) Console.WriteLine($"         fix: {check.Fix}");
            }
            return checks.All(c => c.Ready) ? ExitCodes.Ok : ExitCodes.Infrastructure;
        }));
        return command;
    }
}
