using System.Reflection;
using System.Text;

namespace CodeLab.Exercises;

/// <summary>
/// Writes a candidate workspace: the statement as README.md, the starter code up to the level, the public tests
/// of the level, a generated project file and CodeLab's small template files. `dotnet test` inside it runs the
/// public tests; the folder is self-contained wherever it is placed.
/// </summary>
public static class WorkspaceWriter
{
    /// <summary>The folder of a workspace whose files are tests; the grader uses its own copy instead.</summary>
    public const string TestsFolder = "tests";

    public static IReadOnlyList<string> Write(Exercise exercise, string level, string directory)
    {
        var chosen = exercise.Level(level);
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
            throw new ExerciseException($"{directory} is not empty: choose a new folder for the workspace.");
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        void Put(string relative, string content)
        {
            var path = Path.Combine(directory, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content, new UTF8Encoding(false));
            written.Add(relative.Replace('\\', '/'));
        }
        void CopyTree(string source, string targetPrefix)
        {
            if (!Directory.Exists(source)) return;
            foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                Put(Path.Combine(targetPrefix, Path.GetRelativePath(source, file)), File.ReadAllText(file));
        }

        Put("README.md", Readme(exercise, chosen));
        if (exercise.Kind == "service")
            foreach (var (name, content) in ServiceWorkspace.Files(exercise, chosen.Id)) Put(name, content);
        else
            Put(WorkspaceProject.FileName(exercise), WorkspaceProject.Generate(exercise));
        CopyTree(Path.Combine(exercise.Folder, "starter", "common"), "");
        foreach (var part in exercise.LevelsUpTo(chosen.Id))
            CopyTree(Path.Combine(exercise.Folder, "starter", part.Id), "");
        foreach (var file in exercise.Tests.FilesFor(chosen.Id).Where(f => f.Suite == TestIndex.Public))
            Put(Path.Combine(TestsFolder, "public", file.RelativePath), File.ReadAllText(file.FullPath));
        foreach (var (name, content) in Template(service: exercise.Kind == "service"))
            Put(name, content);
        return written;
    }

    static string Readme(Exercise exercise, ExerciseLevel level)
    {
        var text = new StringBuilder(Statement.Compose(exercise, level.Id));
        text.AppendLine();
        text.AppendLine("---");
        text.AppendLine();
        text.AppendLine($"## How this workspace works ({level.Id}, about {level.TimeEstimateMinutes} minutes)");
        text.AppendLine();
        if (exercise.Kind == "service")
            text.Append(ServiceWorkspace.HowToRun(exercise));
        else
            text.AppendLine("- Open the folder in any IDE. `dotnet test` builds your code and runs the public tests in `tests/public/`.");
        text.AppendLine("- Hand in the whole folder. The grader compiles your `.cs` files (everything outside `tests/`, `bin/` and `obj/`)");
        text.AppendLine("  with Roslyn, then runs its own copy of the public tests and a larger hidden suite in a sandbox.");
        // The policy is stated once, in the statement's ground rules above (a test holds them to the policy itself).
        text.AppendLine("- What your code may use, and what the grader refuses, is in the ground rules above. The test libraries");
        text.AppendLine("  (xUnit, Shouldly, FakeTimeProvider) are for the tests only.");
        text.AppendLine("- You are scored per criterion:");
        foreach (var criterion in level.Criteria)
            text.AppendLine($"  - {criterion.Title} ({criterion.Weight:0.#} points)");
        return text.ToString();
    }

    /// <summary>CodeLab's own files of every workspace; those under service/ only in a service exercise's.</summary>
    static IEnumerable<(string Name, string Content)> Template(bool service)
    {
        var assembly = typeof(WorkspaceWriter).Assembly;
        const string prefix = "WorkspaceTemplate/", servicePrefix = "service/";
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var name = resource[prefix.Length..];
            if (name.StartsWith(servicePrefix, StringComparison.Ordinal))
            {
                if (!service) continue;
                name = name[servicePrefix.Length..];
            }
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            // A leading dot would hide the template file in the repository; it is added when written.
            yield return (name == "gitignore" ? ".gitignore" : name, reader.ReadToEnd());
        }
    }
}
