using System.CommandLine;

namespace CodeLab.Cli.Commands;

/// <summary>Every `codelab` sub-command, in the order `--help` lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All() =>
    [
        DemoCommand.Create(),
        CalibrateCommand.Create(),
        ExercisesCommand.Create(),
        ShowCommand.Create(),
        InitCommand.Create(),
        GradeCommand.Create(),
        DoctorCommand.Create(),
        PrepareCommand.Create(),
        LoadCommand.Create(),
    ];
}
