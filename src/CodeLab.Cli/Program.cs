using System.CommandLine;
using CodeLab.Cli.Commands;

var root = new RootCommand("CodeLab grades practical backend take-home exercises: Roslyn, Docker sandboxes, hidden xUnit suites, load.");
foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);
return await root.Parse(args).InvokeAsync();
