using System.Text.Json;
using System.Text.Json.Serialization;

namespace CodeLab.Exercises;

/// <summary>
/// A solution shipped with an exercise: the reference, an alternative correct design, or a flawed one that must
/// lose points on <see cref="Criterion"/> at each of its <see cref="Levels"/>. These are the calibration inputs
/// that prove a grade means something.
/// <para>
/// A flawed solution is an overlay of a correct one: its folder holds flaw.json and only the files its flaw changes
/// (<see cref="Base"/> names the solution it changes, <see cref="Remove"/> the base files it drops). The whole
/// submission is assembled by <see cref="Files"/>; the grader never sees the difference.
/// </para>
/// </summary>
public sealed record Solution(string Name, SolutionKind Kind, string Folder, string Description, string? Criterion, IReadOnlyList<string> Levels)
{
    /// <summary>The correct solution this overlay changes; null for a complete solution.</summary>
    public Solution? Base { get; init; }

    /// <summary>Base files (relative paths, '/' separated) the overlay drops.</summary>
    public IReadOnlyList<string> Remove { get; init; } = [];

    /// <summary>Files the overlay adds (the base has no file of that path); any other overlay file must replace a base file.</summary>
    public IReadOnlyList<string> Add { get; init; } = [];

    /// <summary>
    /// Criteria besides <see cref="Criterion"/> on which the same flaw may also cost points (a lost charge shows in
    /// concurrency and in durability). A flawed solution keeps full marks on every criterion listed nowhere, so a
    /// copy that drifts, or a test that fails for another reason, is caught.
    /// </summary>
    public IReadOnlyList<string> AlsoLoses { get; init; } = [];

    /// <summary>Manifest files at a solution's root; they are never part of the submission.</summary>
    public static readonly IReadOnlySet<string> Manifests = new HashSet<string>(StringComparer.Ordinal) { "flaw.json", "solution.json" };

    /// <summary>The complete submission, in path order: the base's files without the removed ones, with the overlay's on top.</summary>
    public IReadOnlyList<SolutionFile> Files()
    {
        var files = new SortedDictionary<string, SolutionFile>(StringComparer.Ordinal);
        if (Base is not null)
            foreach (var file in Base.Files())
                files[file.Path] = file;
        foreach (var path in Remove) files.Remove(path);
        foreach (var file in Own()) files[file.Path] = file;
        return [.. files.Values];
    }

    /// <summary>The files in this solution's own folder (for an overlay: only what it changes).</summary>
    public IReadOnlyList<SolutionFile> Own() =>
        [.. Directory.GetFiles(Folder, "*", SearchOption.AllDirectories)
            .Select(full => new SolutionFile(Path.GetRelativePath(Folder, full).Replace(Path.DirectorySeparatorChar, '/'), full))
            .Where(f => !Manifests.Contains(f.Path))
            .OrderBy(f => f.Path, StringComparer.Ordinal)];

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
            foreach (var also in manifest.AlsoLoses ?? [])
                if (manifest.Levels.All(level => exercise.Levels.First(l => l.Id == level).Criteria.All(c => c.Id != also)))
                    throw new ExerciseException($"{where}: \"alsoLoses\" names '{also}', which is not a criterion at any of its levels.");
            var flawed = new Solution(name, SolutionKind.Flawed, folder, manifest.Description ?? "", manifest.Criterion, manifest.Levels)
            {
                AlsoLoses = manifest.AlsoLoses ?? [],
            };
            all.Add(manifest.Base is null ? flawed : Overlay(flawed, manifest, all, where));
        }
        return all;
    }

    /// <summary>
    /// An overlay must say exactly what it changes: every file in it replaces a base file with different content and
    /// every removed file exists in the base, so a copy that drifts from its base is refused when the exercise loads.
    /// </summary>
    static Solution Overlay(Solution flawed, FlawManifest manifest, IReadOnlyList<Solution> correct, string where)
    {
        var baseName = manifest.Base!;
        var found = correct.FirstOrDefault(s => BaseName(s) == baseName)
            ?? throw new ExerciseException($"{where}: \"base\" '{baseName}' is not a correct solution of this exercise (use \"reference\" or \"alternatives/<name>\").");
        var baseFiles = found.Files().ToDictionary(f => f.Path, StringComparer.Ordinal);
        var remove = manifest.Remove ?? [];
        var add = manifest.Add ?? [];
        foreach (var path in remove)
            if (!baseFiles.ContainsKey(path))
                throw new ExerciseException($"{where}: \"remove\" names {path}, which {baseName} does not have.");
        var own = flawed.Own();
        foreach (var file in own)
        {
            if (remove.Contains(file.Path))
                throw new ExerciseException($"{where}: {file.Path} is both removed and changed; keep one.");
            if (!baseFiles.TryGetValue(file.Path, out var original))
            {
                if (add.Contains(file.Path)) continue;
                throw new ExerciseException($"{where}: {file.Path} is not a file of {baseName}; an overlay changes the base's files, or lists a new one in \"add\".");
            }
            if (add.Contains(file.Path))
                throw new ExerciseException($"{where}: \"add\" names {file.Path}, which {baseName} already has; an overlay file of that path replaces it.");
            if (File.ReadAllBytes(file.FullPath).AsSpan().SequenceEqual(File.ReadAllBytes(original.FullPath)))
                throw new ExerciseException($"{where}: {file.Path} is identical to {baseName}'s; delete it from the overlay.");
        }
        foreach (var path in add)
            if (own.All(f => f.Path != path))
                throw new ExerciseException($"{where}: \"add\" names {path}, which the overlay does not have.");
        if (own.Count == 0 && remove.Count == 0)
            throw new ExerciseException($"{where}: the overlay changes nothing in {baseName}; add the files the flaw changes.");
        return flawed with { Base = found, Remove = remove, Add = add };
    }

    static string BaseName(Solution s) => s.Kind == SolutionKind.Alternative ? $"alternatives/{s.Name}" : s.Name;

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
        [property: JsonPropertyName("description")] string? Description,
        [property: JsonPropertyName("base")] string? Base,
        [property: JsonPropertyName("remove")] List<string>? Remove,
        [property: JsonPropertyName("add")] List<string>? Add,
        [property: JsonPropertyName("alsoLoses")] List<string>? AlsoLoses);
}
