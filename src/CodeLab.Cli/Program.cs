using System.CommandLine;
using CodeLab.Cli;
using CodeLab.Cli.Commands;

var root = new RootCommand("CodeLab grades practical backend take-home exercises: Roslyn, Docker sandboxes, hidden xUnit suites, load.");
foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);
var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    // Bad input is exit code 2 with one line that says what is wrong (DESIGN.md), not the parser's default.
    Console.Error.WriteLine($"codelab: {parse.Errors[0].Message} (see ./codelab {string.Join(' ', args.TakeWhile(a => !a.StartsWith('-')).Take(1))} --help)");
    return ExitCodes.BadInput;
}
return await parse.InvokeAsync();
