namespace CodeLab.Grading;

/// <summary>The names under which a grade reports where its time went (<see cref="GradeRequest.Timing"/>).</summary>
public static class GradeStages
{
    public const string Compile = "compile";
    public const string SandboxStart = "sandbox start";
    public const string Readiness = "readiness";
    public const string Tests = "tests";
    public const string Load = "load";
    public const string Teardown = "teardown";

    public static readonly IReadOnlyList<string> All = [Compile, SandboxStart, Readiness, Tests, Load, Teardown];
}
