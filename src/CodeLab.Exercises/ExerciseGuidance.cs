using System.Text.Json;
using System.Text.Json.Serialization;

namespace CodeLab.Exercises;

/// <summary>
/// questions.json beside exercise.json, written by the exercise's author for reviewers: for each criterion what its
/// failure costs in production (its consequence, and a test's own where it differs) and what to ask the candidate,
/// and for each level the discussion points for a clean grade, each with what a good answer covers.
/// Never generated: a report quotes it as it is.
/// </summary>
public sealed record ExerciseGuidance(IReadOnlyDictionary<string, CriterionGuidance> Criteria, IReadOnlyDictionary<string, IReadOnlyList<Question>> Discussion)
{
    public const string FileName = "questions.json";

    public CriterionGuidance For(string criterion) =>
        Criteria.TryGetValue(criterion, out var guidance) ? guidance
        : throw new ExerciseException($"{FileName} has no entry for criterion '{criterion}'.");

    public IReadOnlyList<Question> DiscussionAt(string level) => Discussion.GetValueOrDefault(level) ?? [];

    internal static ExerciseGuidance Read(Exercise exercise)
    {
        var path = Path.Combine(exercise.Folder, FileName);
        var where = $"{exercise.Id}/{Path.GetRelativePath(exercise.Folder, path)}";
        if (!File.Exists(path)) throw new ExerciseException($"{where} is missing: every criterion needs its consequence and follow-up questions (exercises/README.md).");
        Manifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<Manifest>(File.ReadAllText(path)) ?? throw new ExerciseException($"{where} is empty.");
        }
        catch (JsonException ex)
        {
            throw new ExerciseException($"{where}: not valid JSON ({ex.Message}).");
        }
        var criteria = new Dictionary<string, CriterionGuidance>(StringComparer.Ordinal);
        foreach (var id in exercise.Levels.SelectMany(l => l.Criteria).Select(c => c.Id).Distinct())
        {
            if (manifest.Criteria?.GetValueOrDefault(id) is not { } c || string.IsNullOrWhiteSpace(c.Consequence))
                throw new ExerciseException($"{where}: criterion '{id}' needs an entry with a \"consequence\" and at least one question.");
            foreach (var kind in c.Cite ?? [])
                if (!CriterionGuidance.CodeKinds.Contains(kind)) throw new ExerciseException($"{where}: criterion '{id}': \"cite\" may list {string.Join(", ", CriterionGuidance.CodeKinds)}, not '{kind}'.");
            criteria[id] = new CriterionGuidance(c.Consequence!, Questions(c.Questions, $"{where}: criterion '{id}'"), c.Tests ?? [])
            {
                Cite = c.Cite ?? [],
                BuildsOn = c.BuildsOn ?? [],
            };
        }
        foreach (var (id, c) in criteria)
            foreach (var foundation in c.BuildsOn)
                if (foundation == id || !criteria.ContainsKey(foundation))
                    throw new ExerciseException($"{where}: criterion '{id}': \"buildsOn\" names '{foundation}', which is {(foundation == id ? "itself" : "not a criterion of any level here")}.");
        foreach (var id in criteria.Keys)
            if (Cycle(id, criteria, []) is { } cycle)
                throw new ExerciseException($"{where}: \"buildsOn\" goes round in a circle ({string.Join(" -> ", cycle)}): a failure must have one root.");
        foreach (var id in manifest.Criteria?.Keys.ToList() ?? [])
            if (!criteria.ContainsKey(id)) throw new ExerciseException($"{where}: criterion '{id}' is not a criterion of any level here.");
        var discussion = new Dictionary<string, IReadOnlyList<Question>>(StringComparer.Ordinal);
        foreach (var level in exercise.Levels)
            discussion[level.Id] = Questions(manifest.Discussion?.GetValueOrDefault(level.Id), $"{where}: discussion for level {level.Id}");
        return new ExerciseGuidance(criteria, discussion);
    }

    static List<string>? Cycle(string id, IReadOnlyDictionary<string, CriterionGuidance> criteria, List<string> path)
    {
        if (path.Contains(id)) return [.. path[path.IndexOf(id)..], id];
        path.Add(id);
        foreach (var foundation in criteria[id].BuildsOn)
            if (Cycle(foundation, criteria, path) is { } cycle) return cycle;
        path.RemoveAt(path.Count - 1);
        return null;
    }

    static IReadOnlyList<Question> Questions(List<QuestionManifest>? questions, string where)
    {
        if (questions is not { Count: > 0 }) throw new ExerciseException($"{where} needs at least one question with \"ask\" and \"goodAnswer\".");
        foreach (var q in questions)
            if (string.IsNullOrWhiteSpace(q.Ask) || string.IsNullOrWhiteSpace(q.GoodAnswer))
                throw new ExerciseException($"{where}: every question needs \"ask\" and \"goodAnswer\".");
        return questions.Select(q => new Question(q.Ask!, q.GoodAnswer!)).ToList();
    }

    sealed record Manifest(
        [property: JsonPropertyName("criteria")] Dictionary<string, CriterionManifestEntry>? Criteria,
        [property: JsonPropertyName("discussion")] Dictionary<string, List<QuestionManifest>>? Discussion);

    sealed record CriterionManifestEntry(
        [property: JsonPropertyName("consequence")] string? Consequence,
        [property: JsonPropertyName("questions")] List<QuestionManifest>? Questions,
        [property: JsonPropertyName("tests")] Dictionary<string, string>? Tests,
        [property: JsonPropertyName("cite")] List<string>? Cite,
        [property: JsonPropertyName("buildsOn")] List<string>? BuildsOn = null);

    sealed record QuestionManifest(
        [property: JsonPropertyName("ask")] string? Ask,
        [property: JsonPropertyName("goodAnswer")] string? GoodAnswer);
}
