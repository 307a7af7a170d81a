using CodeLab.Exercises;

namespace CodeLab.Calibration.Tests;

/// <summary>
/// The candidate's side of a library exercise: a workspace from init builds as handed out, and with the reference
/// copied over it `dotnet test` runs the public tests green, as the statement promises. Uses the real SDK and package
/// source. Service workspaces, whose public tests need the service and Redis running, are
/// <see cref="ServiceWorkspaceCalibrationDockerTests"/>.
/// </summary>
public sealed class WorkspaceCalibrationTests
{
    public static TheoryData<string, string> Levels()
    {
        var data = new TheoryData<string, string>();
        foreach (var exercise in Catalog.Exercises.All)
            foreach (var level in exercise.AllLevels)
                if (exercise.ForLevel(level.Id).Kind != "service") data.Add(exercise.Id, level.Id);
        return data;
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public async Task The_starter_workspace_builds_and_the_solved_one_passes_its_public_tests(string exerciseId, string level)
    {
        Catalog.Start();
        using var written = CandidateWorkspace.Write(exerciseId, level);
        var workspace = written.Path;

        await CandidateWorkspace.BuildAsync(workspace, "starter");

        CandidateWorkspace.CopyOver(workspace, Catalog.Find(exerciseId, level, "reference").Folder);
        await CandidateWorkspace.BuildAsync(workspace, "solved");
        var test = await CandidateWorkspace.DotnetAsync(workspace, ["test", "-nologo", "--no-build"]);
        test.ExitCode.ShouldBe(0, $"dotnet test fails on the solved workspace:\n{test.Output}");
        test.Output.ShouldContain("Passed!");
    }
}
