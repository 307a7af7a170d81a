using System.Diagnostics;
using System.Text;
using CodeLab.Sandbox;
using CodeLab.TestSupport;

namespace CodeLab.Sandbox.Tests;

public sealed class SandboxImageTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("codelab-image-test").FullName;
    readonly string definition;
    readonly string runner;

    public SandboxImageTests()
    {
        definition = Directory.CreateDirectory(Path.Combine(root, "sandbox")).FullName;
        Directory.CreateDirectory(Path.Combine(definition, "base"));
        File.WriteAllText(Path.Combine(definition, "Dockerfile"), "FROM x");
        File.WriteAllText(Path.Combine(definition, "base", "packages.txt"), "libicu72");
        runner = Directory.CreateDirectory(Path.Combine(root, "runner")).FullName;
        File.WriteAllText(Path.Combine(runner, "CodeLab.Runner.dll"), "runner v1");
    }

    [Fact]
    public void Same_files_give_the_same_tags()
    {
        var a = SandboxImage.Describe(definition, runner, "10.0.1");
        var b = SandboxImage.Describe(definition, runner, "10.0.1");
        b.Tag.ShouldBe(a.Tag);
        b.BaseTag.ShouldBe(a.BaseTag);
        a.Tag.ShouldStartWith("codelab-sandbox:");
        a.BaseTag.ShouldStartWith("codelab-base:");
    }

    [Fact]
    public void A_changed_runner_changes_the_image_but_not_the_base()
    {
        var before = SandboxImage.Describe(definition, runner, "10.0.1");
        File.WriteAllText(Path.Combine(runner, "CodeLab.Runner.dll"), "runner v2");
        var after = SandboxImage.Describe(definition, runner, "10.0.1");
        after.Tag.ShouldNotBe(before.Tag);
        after.BaseTag.ShouldBe(before.BaseTag);
    }

    [Fact]
    public void A_changed_base_recipe_or_runtime_changes_both_tags()
    {
        var before = SandboxImage.Describe(definition, runner, "10.0.1");
        var otherRuntime = SandboxImage.Describe(definition, runner, "10.0.2");
        File.AppendAllText(Path.Combine(definition, "base", "packages.txt"), "\nredis-server");
        var otherRecipe = SandboxImage.Describe(definition, runner, "10.0.1");

        otherRuntime.BaseTag.ShouldNotBe(before.BaseTag);
        otherRuntime.Tag.ShouldNotBe(before.Tag);
        otherRecipe.BaseTag.ShouldNotBe(before.BaseTag);
        otherRecipe.Tag.ShouldNotBe(before.Tag);
    }

    [Fact]
    public void A_missing_runner_build_says_how_to_fix_it()
    {
        File.Delete(Path.Combine(runner, "CodeLab.Runner.dll"));
        var error = Should.Throw<SandboxSetupException>(() => SandboxImage.Describe(definition, runner, "10.0.1"));
        error.Message.ShouldContain("build src/CodeLab.Runner");
    }

    /// <summary>
    /// The image is named by a hash of the runner's build, so our assemblies in it must be the same bytes for the same
    /// sources: a commit id in a version, or the clone's path in a debug file, made every commit (and every clone)
    /// build and keep an image of its own. Checked on the real build the tests run with.
    /// </summary>
    [Fact]
    public void The_runner_build_carries_no_commit_id_and_no_clone_path()
    {
        var ours = Directory.GetFiles(RepositoryPaths.RunnerBuild, "CodeLab.*.dll");
        ours.Select(Path.GetFileName).ShouldContain("CodeLab.Runner.dll");
        var clonePath = Encoding.UTF8.GetBytes(RepositoryPaths.Root + "/");
        foreach (var assembly in ours)
        {
            var version = FileVersionInfo.GetVersionInfo(assembly).ProductVersion;
            version.ShouldNotBeNull().ShouldNotContain('+', customMessage: $"{Path.GetFileName(assembly)} names a commit: {version}");
            foreach (var file in new[] { assembly, Path.ChangeExtension(assembly, ".pdb") }.Where(File.Exists))
                File.ReadAllBytes(file).AsSpan().IndexOf(clonePath).ShouldBe(-1, $"{Path.GetFileName(file)} holds the clone's path");
        }
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
