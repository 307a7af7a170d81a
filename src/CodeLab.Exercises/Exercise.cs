namespace CodeLab.Exercises;

/// <summary>
/// A validated exercise. Tests are read on first use (listing the catalog does not need them).
/// A level may live in a folder of its own (a "part" with its own kind, statement, starter, tests and solutions),
/// as when an exercise graded as a library at junior and mid becomes a service at senior: <see cref="ForLevel"/>
/// gives the exercise that grades a level, <see cref="Levels"/> are the levels graded from this folder and
/// <see cref="AllLevels"/> every level the catalog offers.
/// </summary>
public sealed class Exercise
{
    readonly Lazy<TestIndex> tests;
    readonly Lazy<ExerciseGuidance> guidance;
    readonly Lazy<ReferenceFigures> figures;
    readonly IReadOnlyDictionary<string, Exercise> partsByLevel;

    internal Exercise(string folder, ExerciseManifest manifest, IReadOnlyList<ExerciseLevel> levels, IReadOnlyDictionary<string, Exercise>? partsByLevel = null)
    {
        this.partsByLevel = partsByLevel ?? new Dictionary<string, Exercise>();
        Folder = folder;
        Id = manifest.Id!;
        Title = manifest.Title!;
        Summary = manifest.Summary ?? "";
        Kind = manifest.Kind!;
        Skills = manifest.Skills ?? [];
        Seeds = manifest.Seeds ?? [];
        Frameworks = manifest.Frameworks ?? [];
        Packages = manifest.Packages ?? [];
        Levels = levels;
        Service = manifest.Service is { } service ? ServiceSettings.From(service) : null;
        Parts = [this, .. this.partsByLevel.Values.Distinct()];
        AllLevels = Parts.SelectMany(p => p.Levels).OrderBy(l => CodeLab.Exercises.Levels.Rank(l.Id)).ToList();
        AllSkills = Parts.SelectMany(p => p.Skills).Distinct().ToList();
        tests = new Lazy<TestIndex>(() => TestIndex.Read(this));
        guidance = new Lazy<ExerciseGuidance>(() => ExerciseGuidance.Read(this));
        figures = new Lazy<ReferenceFigures>(() => ReferenceFigures.Load(Folder));
    }

    public string Folder { get; }
    public string Id { get; }
    public string Title { get; }
    public string Summary { get; }
    /// <summary>"library" or "service".</summary>
    public string Kind { get; }
    public IReadOnlyList<string> Skills { get; }
    public IReadOnlyList<string> Seeds { get; }
    public IReadOnlyList<string> Frameworks { get; }
    public IReadOnlyList<string> Packages { get; }
    /// <summary>The levels graded from this folder (levels are cumulative among them).</summary>
    public IReadOnlyList<ExerciseLevel> Levels { get; }

    /// <summary>Every level of the exercise, including those graded from a part folder, in order.</summary>
    public IReadOnlyList<ExerciseLevel> AllLevels { get; }

    /// <summary>This exercise and its part folders, each graded on its own levels.</summary>
    public IReadOnlyList<Exercise> Parts { get; }

    /// <summary>The skills of all its parts, for the catalog.</summary>
    public IReadOnlyList<string> AllSkills { get; }

    /// <summary>The exercise (this one or a part) that grades <paramref name="level"/>.</summary>
    public Exercise ForLevel(string level) =>
        partsByLevel.TryGetValue(level, out var part) ? part
        : Levels.Any(l => l.Id == level) ? this
        : throw new ExerciseException($"Exercise '{Id}' has no level '{level}': it has {string.Join(", ", AllLevels.Select(l => l.Id))}.");

    /// <summary>Kinds of its parts, e.g. "library" or "library, service (senior)".</summary>
    public string KindSummary => string.Join(", ", Parts.Select((p, i) => i == 0 ? p.Kind : $"{p.Kind} ({string.Join("/", p.Levels.Select(l => l.Id))})").Distinct());

    /// <summary>Service exercises only: what runs beside the candidate's service.</summary>
    public ServiceSettings? Service { get; }

    /// <summary>What the reference measured for this folder's levels (reference-figures.json), or none.</summary>
    public ReferenceFigures ReferenceFigures => figures.Value;

    /// <summary>Public and hidden tests with their traits; validated against the levels and criteria on first use.</summary>
    public TestIndex Tests => tests.Value;

    public string PublicTestsFolder => Path.Combine(Folder, "tests", "public");
    public string HiddenTestsFolder => Path.Combine(Folder, "tests", "hidden");
    public string SolutionsFolder => Path.Combine(Folder, "solutions");

    /// <summary>questions.json: per criterion what its failure costs and what to ask, and the level's discussion points (read on first use).</summary>
    public ExerciseGuidance Guidance => guidance.Value;

    public ExerciseLevel Level(string id) =>
        Levels.FirstOrDefault(l => l.Id == id)
        ?? throw new ExerciseException($"Exercise '{Id}' has no level '{id}': it has {string.Join(", ", Levels.Select(l => l.Id))}.");

    /// <summary>The levels up to and including <paramref name="level"/> that this exercise has (levels are cumulative).</summary>
    public IEnumerable<ExerciseLevel> LevelsUpTo(string level) =>
        Levels.Where(l => CodeLab.Exercises.Levels.Rank(l.Id) <= CodeLab.Exercises.Levels.Rank(level));
}

public sealed record ExerciseLevel(string Id, int TimeEstimateMinutes, IReadOnlyList<Criterion> Criteria, LevelLimits Limits)
{
    /// <summary>Service exercises: how many replicas of the candidate's service run at this level (null: the exercise's).</summary>
    public int? Replicas { get; init; }

    /// <summary>Service exercises: load scenarios run against the service at this level (and above), with their thresholds.</summary>
    public IReadOnlyList<LoadCheck> Load { get; init; } = [];
}

/// <summary>
/// A load scenario (exercises/&lt;id&gt;/load/&lt;Scenario&gt;.csx, a C# script that returns a ScenarioProps) and the
/// thresholds it must hold, C# expressions over its stats such as "All.Latency.P99Ms &lt; 250". It scores like one
/// test of <paramref name="Criterion"/>.
/// </summary>
public sealed partial record LoadCheck(string Scenario, string Criterion, IReadOnlyList<string> Thresholds, string ScriptPath)
{
    public const string Suite = "load";

    /// <summary>
    /// A threshold as a reviewer reads it: a figure the scenario counted, read by its name (<c>Figure("ms until
    /// drained") &lt; 10000</c>), is shown as that name ("ms until drained &lt; 10000"); anything else as written.
    /// </summary>
    public static string Label(string expression) => FigureCall().Replace(expression.Trim(), m => m.Groups[1].Value);

    [System.Text.RegularExpressions.GeneratedRegex(@"\bFigure\(\s*""([^""\\]*)""\s*\)")]
    private static partial System.Text.RegularExpressions.Regex FigureCall();

    /// <summary>The severity of a run that broke only thresholds; null: the criterion's. A failed check is always the criterion's.</summary>
    public string? ThresholdSeverity { get; init; }

    /// <summary>Its id among the level's tests.</summary>
    public string TestId => $"load.{Scenario}";
}

/// <summary>What runs beside a candidate's service: Redis, the judge's fakes, the service's environment.</summary>
public sealed record ServiceSettings(bool Redis, int Replicas, string ReadyPath, int ReadyTimeoutSeconds,
    IReadOnlyList<string> FakeHosts, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>The port the candidate's service must listen on (it gets ASPNETCORE_URLS=http://0.0.0.0:8080).</summary>
    public const int Port = 8080;

    /// <summary>The port the judge's fakes listen on.</summary>
    public const int FakesPort = 9090;

    internal static ServiceSettings From(ServiceManifest m) => new(
        m.Redis ?? false, m.Replicas ?? 1, m.ReadyPath ?? "/health", m.ReadyTimeoutSeconds ?? 30,
        m.FakeHosts ?? [], m.Environment ?? new Dictionary<string, string>());

    public int ReplicasAt(ExerciseLevel level) => level.Replicas ?? Replicas;
}

public sealed record Criterion(string Id, string Title, double Weight)
{
    /// <summary>blocker | major | minor (<see cref="Severities"/>): what failing this criterion means.</summary>
    public string Severity { get; init; } = Severities.Major;

    /// <summary>Tests (by method name) whose failure is more or less severe than the criterion's.</summary>
    public IReadOnlyDictionary<string, string> TestSeverities { get; init; } = new Dictionary<string, string>();

    /// <summary>The severity of one of its tests failing.</summary>
    public string SeverityOf(string method) => TestSeverities.GetValueOrDefault(method, Severity);
}

/// <summary>Sandbox limits for grading at a level.</summary>
public sealed record LevelLimits(int TestTimeoutSeconds, int RunTimeoutSeconds, int MemoryMb, double Cpus, int Pids)
{
    public static readonly LevelLimits Default = new(10, 90, 512, 2, 256);
}
