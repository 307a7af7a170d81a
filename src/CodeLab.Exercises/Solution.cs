using System.Text.Json;
using System.Text.Json.Serialization;

namespace CodeLab.Exercises;

/// <summary>
/// A solution shipped with an exercise: the reference, an alternative correct design, or a flawed one that must
/// lose points on <see cref="Criterion"/> at each of its <see cref="Levels"/>. These are the calibration inputs
/// that prove a grade means something.
/// </summary>
public sealed record Solution(string Name, SolutionKind Kind, string Folder, string Description, string? Criterion, IReadOnlyList<string> Levels)
{
    public static IReadOnlyList<Solution> ReadAll(Exercise exercise)
    {
        var root = exercise.SolutionsFolder;
        var all = new List<Solution>();
        var allLevels = exercise.Levels.Select(l => l.Id).ToList();
        var reference = Path.Combine(root, "reference");
        if (!Directory.Exists(reference)) throw new ExerciseException($"{exercise.Id}: solutions/reference/ is missing.");
        all.Add(new Solution("reference", SolutionKind.Reference, reference, "The reference solution.", null, allLevels));

        foreach (var folder in Subfolders(Path.Combine(root, "alternatives")))
        {
            var manifest = Read<AlternativeManifest>(exercise, folder, "solution.json");
            all.Add(new Solution(Path.GetFileName(folder), SolutionKind.Alternative, folder, manifest.Description ?? "", null, allLevels));
        }
        foreach (var folder in Subfolders(Path.Combine(root, "flawed")))
        {
            var name = Path.GetFileName(folder);
            var manifest = Read<FlawManifest>(exercise, folder, "flaw.json");
            var where = $"{exercise.Id}/solutions/flawed/{name}/flaw.json";
            if (manifest.Levels is not { Count: > 0 }) throw new ExerciseException($"{where}: \"levels\" must list the levels where the flaw costs points.");
            foreach (var level in manifest.Levels)
            {
                var found = exercise.Levels.FirstOrDefault(l => l.Id == level) ?? throw new ExerciseException($"{where}: level '{level}' is not a level of this exercise.");
                if (found.Criteria.All(c => c.Id != manifest.Criterion))
                    throw new ExerciseException($"{where}: criterion '{manifest.Criterion}' does not exist at level {level}.");
            }
            all.Add(new Solution(name, SolutionKind.Flawed, folder, manifest.Description ?? "", manifest.Criterion, manifest.Levels));
        }
        return all;
    }

    static IEnumerable<string> Subfolders(string path) =>
        Directory.Exists(path) ? Directory.GetDirectories(path).Order(StringComparer.Ordinal) : [];

    static T Read<T>(Exercise exercise, string folder, string file)
    {
        var path = Path.Combine(folder, file);
        var where = $"{exercise.Id}/{Path.GetRelativePath(exercise.Folder, path)}";
        if (!File.Exists(path)) throw new ExerciseException($"{where} is missing.");
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path)) ?? throw new ExerciseException($"{where} is empty.");
        }
        catch (JsonException ex)
        {
            throw new ExerciseException($"{where}: not valid JSON ({ex.Message}).");
        }
    }

    sealed record AlternativeManifest([property: JsonPropertyName("description")] string? Description);

    sealed record FlawManifest(
        [property: JsonPropertyName("criterion")] string? Criterion,
        [property: JsonPropertyName("levels")] List<string>? Levels,
        [property: JsonPropertyName("description")] string? Description);
}

public enum SolutionKind { Reference, Alternative, Flawed }
