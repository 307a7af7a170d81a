// xUnit v3 test projects are executables; the xunit.v3.core package that would generate this is not served here.
internal static class TestEntryPoint
{
    public static Task<int> Main(string[] args) => Xunit.Runner.InProc.SystemConsole.ConsoleRunner.Run(args);
}
