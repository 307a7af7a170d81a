using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CodeLab.Exercises;

/// <summary>
/// What the reference solution measured, per level and check, so that a report can show it beside the candidate's
/// figure ("admitted 20 vs 60; p95 45 ms vs 438 ms"). Kept as <c>reference-figures.json</c> in the exercise folder (or
/// its part folder), written by <c>codelab calibrate --save</c> from the reference's grades: for each check the
/// median of its numeric values over the repeats, or its value when every repeat agreed on a non-numeric one. A
/// missing file or a check it does not know shows no reference figure; it never changes a grade.
/// </summary>
public sealed partial class ReferenceFigures
{
    public const string FileName = "reference-figures.json";

    /// <summary>level -> check key -> figure.</summary>
    readonly Dictionary<string, Dictionary<string, string>> levels;

    ReferenceFigures(Dictionary<string, Dictionary<string, string>> levels) => this.levels = levels;

    public static ReferenceFigures None { get; } = new([]);

    /// <summary>No level has a figure (a library exercise's tests count nothing of their own).</summary>
    public bool IsEmpty => levels.Count == 0;

    /// <summary>The figures kept in <paramref name="folder"/>, or none when it keeps none.</summary>
    /// <exception cref="ExerciseException">The file exists but is not a figures file.</exception>
    public static ReferenceFigures Load(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return None;
        try
        {
            var file = JsonSerializer.Deserialize<FiguresFile>(File.ReadAllText(path), JsonOptions)
                ?? throw new JsonException("empty");
            return new(file.Levels?.ToDictionary(l => l.Key, l => new Dictionary<string, string>(l.Value, StringComparer.Ordinal), StringComparer.Ordinal) ?? []);
        }
        catch (JsonException ex)
        {
            throw new ExerciseException($"{path}: not a reference figures file ({ex.Message}); write it again with ./codelab calibrate --save.");
        }
    }

    /// <summary>The reference's figure for the check <paramref name="name"/> at <paramref name="level"/>, or null.</summary>
    public string? For(string level, string name) =>
        levels.TryGetValue(level, out var checks) && checks.TryGetValue(Key(name), out var figure) ? figure : null;

    /// <summary>The name a load scenario's threshold is kept under: "load payments: All.Latency.P95Ms &lt; 250".</summary>
    public static string ThresholdKey(string scenario, string expression) => $"load {scenario}: {expression}";

    /// <summary>
    /// A check's name with the counts it carries ("(of 17)") made general: how many answers a run collected differs
    /// between grades, while the check is the same.
    /// </summary>
    public static string Key(string name) => OfCount().Replace(name, "(of n)");

    /// <summary>
    /// Figures from the reference's repeated grades: <paramref name="grades"/> holds, per level, one list of
    /// (check name, value) per grade. A check whose repeats neither are all numbers nor all agree is left out, and so
    /// is a key two differently-named checks share.
    /// </summary>
    public static ReferenceFigures From(IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyList<(string Name, string Value)>>> grades)
    {
        var result = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (level, repeats) in grades)
        {
            var figures = new Dictionary<string, string>(StringComparer.Ordinal);
            var keyed = repeats.Select(r => r.Select(c => (Key: Key(c.Name), c.Value)).ToList()).ToList();
            // A key that two checks of one grade share cannot tell them apart.
            var ambiguous = keyed.SelectMany(r => r.GroupBy(c => c.Key).Where(g => g.Count() > 1).Select(g => g.Key)).ToHashSet(StringComparer.Ordinal);
            foreach (var key in keyed.SelectMany(r => r).GroupBy(c => c.Key, StringComparer.Ordinal).Where(k => !ambiguous.Contains(k.Key)))
                if (Summarize(key.Select(c => c.Value).ToList()) is { } figure) figures[key.Key] = figure;
            if (figures.Count > 0) result[level] = figures;
        }
        return new(result);
    }

    /// <summary>This set with <paramref name="newer"/>'s levels in place of its own.</summary>
    public ReferenceFigures With(ReferenceFigures newer)
    {
        var merged = new Dictionary<string, Dictionary<string, string>>(levels, StringComparer.Ordinal);
        foreach (var (level, checks) in newer.levels) merged[level] = checks;
        return new(merged);
    }

    public void Save(string folder, string measuredOn)
    {
        var file = new FiguresFile
        {
            About = $"What the reference solution measured per check (median over its calibration grades), shown beside a candidate's figures. Written by ./codelab calibrate --save on {measuredOn}.",
            Levels = levels.OrderBy(l => Levels.Rank(l.Key)).ToDictionary(l => l.Key, l => new SortedDictionary<string, string>(l.Value, StringComparer.Ordinal) as IDictionary<string, string>),
        };
        File.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(file, JsonOptions) + "\n");
    }

    static string? Summarize(IReadOnlyList<string> values)
    {
        var numbers = values.Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : (double?)null).ToList();
        if (numbers.All(n => n is not null))
        {
            var median = Median(numbers.Select(n => n!.Value).ToList());
            return Math.Round(median, median >= 100 ? 0 : 1).ToString(CultureInfo.InvariantCulture);
        }
        return values.Distinct(StringComparer.Ordinal).Count() == 1 ? values[0] : null;
    }

    // Relaxed escaping: the file is read by people, and check names carry apostrophes.
    /// <summary>The middle value (the mean of the two middle ones for an even count); NaN for none. Calibration uses it too.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    sealed class FiguresFile
    {
        public string? About { get; set; }
        public IDictionary<string, IDictionary<string, string>>? Levels { get; set; }
    }

    [GeneratedRegex(@"\(of \d+\)")]
    private static partial Regex OfCount();
}
