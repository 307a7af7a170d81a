using System.CommandLine;

namespace CodeLab.Cli.Commands;

/// <summary>Every `codelab` sub-command, in the order `--help` lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All() =>
    [
    ];
}
