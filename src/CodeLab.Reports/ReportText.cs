using System.Globalization;
using System.Text.RegularExpressions;

namespace CodeLab.Reports;

/// <summary>Words and figures both writers (Markdown, HTML) use, so the two say the same thing.</summary>
internal static partial class ReportText
{
    public const int MaxBlockLines = 20;
    public const int MaxBlockChars = 4000;

    public static string StatusWords(string status) => status switch
    {
        TestStatuses.Fail => "failed",
        TestStatuses.Error => "crashed",
        TestStatuses.Timeout => "timed out",
        TestStatuses.NotRun => "did not run",
        _ => status,
    };

    public static string DecisionWords(string decision) => decision switch
    {
        Decisions.Advance => "advance",
        Decisions.Discuss => "discuss before deciding",
        Decisions.DoNotAdvance => "do not advance",
        _ => "none (grade again)",
    };

    /// <summary>Introduces a finding's folded failures (criteria that build on the finding's own).</summary>
    public const string SameCause = "Most likely the same cause, seen again in criteria that build on this one (their points are lost too; re-check them once this is fixed):";

    public static string Capital(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];

    public static string Ms(double ms) => ms >= 1000 ? (ms / 1000).ToString("0.0 s", CultureInfo.InvariantCulture) : ms.ToString("0 ms", CultureInfo.InvariantCulture);

    public static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>How the total was reached, in one sentence.</summary>
    public static string ScoreRule(ScoreReport score) => score.Band is { } band
        ? $"{N(score.Points)} of 100 points earned (each criterion: its weight times the share of its tests passed), placed in the {band.Severity} band {N(band.Low)}-{N(band.High)}: the worst failure decides the band, the points the place in it, so a blocker always scores below a major flaw and a major flaw below a minor one."
        : "Every test passed: 100.";

    /// <summary>The first lines of a long text (report.json has it all), so one failure cannot bury the rest.</summary>
    public static string Excerpt(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var kept = string.Join('\n', lines.Take(MaxBlockLines));
        if (kept.Length > MaxBlockChars) kept = kept[..MaxBlockChars] + " ...";
        if (lines.Length <= MaxBlockLines) return kept;
        // The test's own explanation (Shouldly's "Additional Info:") comes after the dump: never cut it.
        var info = Array.FindIndex(lines, MaxBlockLines, l => l.TrimStart().StartsWith("Additional Info:", StringComparison.Ordinal));
        var explanation = info < 0 ? "" : "\n" + string.Join('\n', lines.Skip(info).Take(6));
        var rest = lines.Length - MaxBlockLines - (info < 0 ? 0 : Math.Min(6, lines.Length - info));
        return kept + $"\n... ({rest} more lines in report.json){explanation}";
    }

    /// <summary>A log file name the grader made (app-N.log): only such a name is ever linked.</summary>
    public static bool IsOurLogFile(string file) => LogFile().IsMatch(file);

    /// <summary>A latency threshold to draw on a chart: its bound in ms and its percentile's label, or null.</summary>
    public static (double Bound, string Label)? LatencyBound(string expression)
    {
        var match = LatencyThreshold().Match(expression);
        return match.Success ? (double.Parse(match.Groups["bound"].Value, CultureInfo.InvariantCulture), match.Groups["what"].Value) : null;
    }

    [GeneratedRegex(@"^app-[0-9]{1,2}\.log$")]
    private static partial Regex LogFile();

    [GeneratedRegex(@"Latency\.(?<what>P[0-9]+|Max|Mean)Ms\s*<=?\s*(?<bound>[0-9]+(\.[0-9]+)?)\s*$")]
    private static partial Regex LatencyThreshold();
}
