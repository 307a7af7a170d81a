using System.Text.Json;

namespace CodeLab.Exercises;

/// <summary>The exercises under a folder (the repository's exercises/), each validated when loaded.</summary>
public sealed class ExerciseCatalog
{
    static readonly JsonSerializerOptions Json = new() { ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    readonly Dictionary<string, Exercise> byId;

    ExerciseCatalog(string root, IEnumerable<Exercise> exercises)
    {
        Root = root;
        byId = exercises.ToDictionary(e => e.Id, StringComparer.Ordinal);
    }

    public string Root { get; }

    public IReadOnlyList<Exercise> All => byId.Values.OrderBy(e => e.Id, StringComparer.Ordinal).ToList();

    public static ExerciseCatalog Load(string root)
    {
        if (!Directory.Exists(root)) throw new ExerciseException($"No exercises folder at {root}.");
        var exercises = Directory.GetDirectories(root)
            .Where(dir => File.Exists(Path.Combine(dir, "exercise.json")))
            .Select(LoadOne)
            .ToList();
        return new ExerciseCatalog(root, exercises);
    }

    public Exercise Find(string id) =>
        byId.TryGetValue(id, out var exercise)
            ? exercise
            : throw new ExerciseException($"Unknown exercise '{id}': known exercises are {string.Join(", ", byId.Keys.Order(StringComparer.Ordinal))} (see ./codelab exercises).");

    public static Exercise LoadOne(string folder) => LoadOne(folder, Path.Combine(Path.GetFileName(folder), "exercise.json"), partOf: null);

    static Exercise LoadOne(string folder, string where, string? partOf)
    {
        var path = Path.Combine(folder, "exercise.json");
        if (!File.Exists(path)) throw new ExerciseException($"{where} is missing.");
        ExerciseManifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ExerciseManifest>(File.ReadAllText(path), Json)
                       ?? throw new ExerciseException($"{where}: the file is empty.");
        }
        catch (JsonException ex)
        {
            throw new ExerciseException($"{where}: not valid JSON ({ex.Message}).");
        }
        return Validate(folder, where, manifest, partOf);
    }

    static Exercise Validate(string folder, string where, ExerciseManifest m, string? partOf)
    {
        void Fail(string problem) => throw new ExerciseException($"{where}: {problem}");

        if (string.IsNullOrWhiteSpace(m.Id)) Fail("\"id\" is missing.");
        if (partOf is null && m.Id != Path.GetFileName(folder)) Fail($"\"id\" is '{m.Id}' but the folder is '{Path.GetFileName(folder)}': they must match.");
        if (partOf is not null && m.Id != partOf) Fail($"\"id\" is '{m.Id}' but this is a part of '{partOf}': they must match.");
        if (string.IsNullOrWhiteSpace(m.Title)) Fail("\"title\" is missing.");
        if (m.Kind is not ("library" or "service")) Fail($"\"kind\" must be \"library\" or \"service\", not '{m.Kind}'.");
        foreach (var framework in m.Frameworks ?? [])
            if (framework != "Microsoft.AspNetCore.App") Fail($"unknown framework '{framework}': only Microsoft.AspNetCore.App can be added.");
        foreach (var package in m.Packages ?? [])
            if (!WorkspaceProject.KnownPackages.ContainsKey(package)) Fail($"package '{package}' is not one the sandbox image carries ({string.Join(", ", WorkspaceProject.KnownPackages.Keys)}).");
        if (m.Levels is not { Count: > 0 }) Fail("\"levels\" is missing or empty.");
        if (m.Kind == "service" && m.Service is null) Fail("a service exercise needs a \"service\" section (redis, replicas, readyPath, environment).");
        if (m.Kind != "service" && m.Service is not null) Fail("\"service\" is only for exercises of kind \"service\".");
        if (m.Service is { } service)
        {
            if (service.Replicas is < 1 or > 5) Fail("service.replicas must be from 1 to 5.");
            if (service.ReadyPath is { } path && !path.StartsWith('/')) Fail("service.readyPath must start with '/'.");
            if (service.ReadyTimeoutSeconds is < 1 or > 120) Fail("service.readyTimeoutSeconds must be from 1 to 120.");
            foreach (var host in service.FakeHosts ?? [])
                if (!System.Text.RegularExpressions.Regex.IsMatch(host, "^[a-z][a-z0-9-]{0,30}$") || host is "redis" || host.StartsWith("app-", StringComparison.Ordinal))
                    Fail($"service.fakeHosts: '{host}' must be a lower-case host name other than redis and app-N.");
            foreach (var name in (service.Environment ?? []).Keys)
                if (name.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || name.StartsWith("DOTNET_", StringComparison.Ordinal) || name.StartsWith("CODELAB_", StringComparison.Ordinal))
                    Fail($"service.environment: '{name}' is set by the grader; choose another name.");
        }

        var levels = new List<ExerciseLevel>();
        var parts = new Dictionary<string, Exercise>(StringComparer.Ordinal);
        string? lastId = null;
        foreach (var (level, index) in m.Levels!.Select((l, i) => (l, i)))
        {
            var at = $"levels[{index}]";
            if (level.Id is null || !Levels.IsKnown(level.Id)) Fail($"{at}.id must be one of {string.Join(", ", Levels.All)}, not '{level.Id}'.");
            if (lastId is not null && Levels.Rank(level.Id!) <= Levels.Rank(lastId)) Fail($"{at}: levels must be listed in order {string.Join(", ", Levels.All)} without repeats.");
            lastId = level.Id;
            if (level.Folder is { } partFolder)
            {
                // The level lives in a part folder with its own exercise.json (same id, this one level); nothing else here.
                if (partOf is not null) Fail($"{at}: a part cannot have parts of its own.");
                if (level.Criteria is not null || level.TimeEstimateMinutes is not null || level.Limits is not null || level.Load is not null || level.Replicas is not null)
                    Fail($"{at}: a level with \"folder\" takes everything else from {partFolder}/exercise.json; list only id and folder here.");
                if (!System.Text.RegularExpressions.Regex.IsMatch(partFolder, "^[a-z0-9-]+$") || partFolder is "statement" or "starter" or "tests" or "solutions" or "load")
                    Fail($"{at}.folder must be a sub-folder name of lower-case letters, digits and dashes, other than statement, starter, tests, solutions and load.");
                var part = LoadOne(Path.Combine(folder, partFolder), $"{Path.GetFileName(folder)}/{partFolder}/exercise.json", m.Id);
                if (part.Levels.Count != 1 || part.Levels[0].Id != level.Id)
                    Fail($"{at}: {partFolder}/exercise.json must have exactly the level '{level.Id}'.");
                parts[level.Id!] = part;
                continue;
            }
            if (level.TimeEstimateMinutes is not > 0) Fail($"{at}.timeEstimateMinutes must be a positive number of minutes.");
            if (level.Criteria is not { Count: > 0 }) Fail($"{at}.criteria is missing or empty.");
            var criteria = new List<Criterion>();
            foreach (var c in level.Criteria!)
            {
                if (string.IsNullOrWhiteSpace(c.Id) || string.IsNullOrWhiteSpace(c.Title)) Fail($"{at}: every criterion needs an id and a title.");
                if (c.Weight is not > 0) Fail($"{at}: criterion '{c.Id}' needs a positive weight.");
                if (criteria.Any(x => x.Id == c.Id)) Fail($"{at}: criterion '{c.Id}' appears twice.");
                if (!Severities.IsKnown(c.Severity)) Fail($"{at}: criterion '{c.Id}' needs a severity: {string.Join(", ", Severities.All)} (exercises/README.md, \"Severity and weights\").");
                foreach (var (test, severity) in c.Tests ?? [])
                    if (!Severities.IsKnown(severity)) Fail($"{at}: criterion '{c.Id}', test '{test}': severity must be {string.Join(", ", Severities.All)}, not '{severity}'.");
                criteria.Add(new Criterion(c.Id!, c.Title!, c.Weight!.Value) { Severity = c.Severity!, TestSeverities = c.Tests ?? [] });
            }
            if (criteria.All(c => c.Severity != Severities.Blocker))
                Fail($"{at}: no criterion is a blocker; the level's central promise (money, the limit, lost events) needs one (exercises/README.md, \"Severity and weights\").");
            var total = criteria.Sum(c => c.Weight);
            if (Math.Abs(total - 100) > 1e-9) Fail($"{at}: criterion weights add up to {total}, not 100.");
            var d = LevelLimits.Default;
            var l = level.Limits;
            var limits = new LevelLimits(
                l?.TestTimeoutSeconds ?? d.TestTimeoutSeconds, l?.RunTimeoutSeconds ?? d.RunTimeoutSeconds,
                l?.MemoryMb ?? d.MemoryMb, l?.Cpus ?? d.Cpus, l?.Pids ?? d.Pids);
            if (limits.TestTimeoutSeconds <= 0 || limits.RunTimeoutSeconds < limits.TestTimeoutSeconds || limits.MemoryMb < 64 || limits.Cpus <= 0 || limits.Pids < 32)
                Fail($"{at}.limits are out of range (test time-out > 0, run time-out >= test time-out, memory >= 64 MB, cpus > 0, pids >= 32).");
            if (level.Replicas is { } replicas && (m.Kind != "service" || replicas is < 1 or > 5))
                Fail($"{at}.replicas is only for service exercises, from 1 to 5.");
            var load = new List<LoadCheck>();
            foreach (var (entry, i) in (level.Load ?? []).Select((e, i) => (e, i)))
            {
                var loadAt = $"{at}.load[{i}]";
                if (m.Kind != "service") Fail($"{loadAt}: load scenarios are only for service exercises.");
                if (string.IsNullOrWhiteSpace(entry.Scenario) || !System.Text.RegularExpressions.Regex.IsMatch(entry.Scenario, "^[a-z0-9-]+$"))
                    Fail($"{loadAt}.scenario must be a name of lower-case letters, digits and dashes (the script is load/<scenario>.csx).");
                var script = Path.Combine(folder, "load", entry.Scenario + ".csx");
                if (!File.Exists(script)) Fail($"{loadAt}: load/{entry.Scenario}.csx is missing.");
                if (criteria.All(c => c.Id != entry.Criterion)) Fail($"{loadAt}.criterion '{entry.Criterion}' is not a criterion of this level.");
                if (entry.Thresholds is not { Count: > 0 } || entry.Thresholds.Any(string.IsNullOrWhiteSpace)) Fail($"{loadAt}.thresholds must list at least one expression, e.g. \"All.Latency.P99Ms < 250\".");
                if (load.Any(l => l.Scenario == entry.Scenario)) Fail($"{loadAt}: scenario '{entry.Scenario}' is listed twice.");
                if (entry.Severity is not null && !Severities.IsKnown(entry.Severity)) Fail($"{loadAt}.severity must be {string.Join(", ", Severities.All)}, not '{entry.Severity}'.");
                load.Add(new LoadCheck(entry.Scenario!, entry.Criterion!, entry.Thresholds!, script) { ThresholdSeverity = entry.Severity });
            }
            levels.Add(new ExerciseLevel(level.Id!, level.TimeEstimateMinutes!.Value, criteria, limits) { Replicas = level.Replicas, Load = load });
        }

        if (levels.Count == 0) Fail("every level is in a part folder; at least one level must be graded from the exercise's own folder.");
        foreach (var statement in new[] { "overview" }.Concat(levels.Select(l => l.Id)))
            if (!File.Exists(Path.Combine(folder, "statement", statement + ".md"))) Fail($"statement/{statement}.md is missing.");
        if (!Directory.Exists(Path.Combine(folder, "starter", "common"))) Fail("starter/common/ is missing.");

        return new Exercise(folder, m, levels, parts);
    }
}
