using CodeLab.Reports;

namespace CodeLab.Grading.Tests;

/// <summary>
/// The layers below the policy, measured in the real sandbox rather than assumed: the probe fixture's hidden tests
/// (trusted code, so not policy-checked) try what a policy gap would let a submission try, and pass only when the
/// runner's own hardening or the container refuses it.
/// </summary>
[Trait("Category", "Docker")]
public sealed class SandboxLayersDockerTests
{
    [Fact]
    public async Task Memory_programs_and_the_root_file_system_are_closed_inside_the_test_process()
    {
        var report = await GradingFixture.GradeAsync(Path.Combine(GradingFixture.Fixtures, "exercises", "probe", "solutions", "reference"), "junior", "probe");
        report.Verdict.ShouldBe(Verdicts.Graded);
        report.Tests.Where(t => t.Status != TestStatuses.Pass).Select(t => $"{t.Name}: {t.Status} {t.Message}").ShouldBeEmpty();
        report.Score.Total.ShouldBe(100);
        report.Policy.Profile.ShouldBe("library");
        report.Policy.Version.ShouldBe(CodeLab.Compilation.Policy.PolicyProfile.Version, "the report says which policy judged the code");
        report.Notes.ShouldContain(n => n.Contains("dumpable=0"), "the report says the test process hardened itself");
        (await GradingFixture.ContainersLeftBehindAsync()).ShouldBeEmpty();
    }
}
