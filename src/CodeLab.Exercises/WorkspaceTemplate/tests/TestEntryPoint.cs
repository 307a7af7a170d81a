// Runs the tests of this project with xUnit v3 (`dotnet test`, or `dotnet run` for xUnit's own console output).
internal static class TestEntryPoint
{
    public static System.Threading.Tasks.Task<int> Main(string[] args) => Xunit.Runner.InProc.SystemConsole.ConsoleRunner.Run(args);
}
