using System.Text.RegularExpressions;
using CodeLab.Reports;

namespace CodeLab.Grading;

/// <summary>
/// What a reviewer needs from a replica's log: the unhandled exceptions, errors and warnings it logged, grouped by
/// level, category and first message line (ids, numbers and durations blanked out so repeats group) with counts.
/// Reads ASP.NET Core's console format ("warn: Category[7]" then the message indented on the next lines) and the
/// runtime's "Unhandled exception." of a process that died; information and debug lines are left in the file.
/// </summary>
public static partial class ServiceLogDigest
{
    const int MaxEntries = 20;
    const int MaxMessageChars = 300;

    public static ServiceLogReport Read(string replica, string text, bool truncated)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var counts = new Dictionary<(string Level, string Category, string Message), int>();
        var order = new List<(string, string, string)>();
        void Add(string level, string category, string message)
        {
            var key = (level, category, Normalise(message));
            if (!counts.TryAdd(key, 1)) counts[key]++;
            else order.Add(key);
        }
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("Unhandled exception.", StringComparison.Ordinal))
            {
                Add(LogLevels.Unhandled, "process", lines[i]["Unhandled exception.".Length..].Trim());
                continue;
            }
            var header = Header().Match(lines[i]);
            if (!header.Success) continue;
            var level = header.Groups["level"].Value switch
            {
                "warn" => LogLevels.Warning,
                "fail" => LogLevels.Error,
                "crit" => LogLevels.Critical,
                _ => null,
            };
            if (level is null) continue;
            var category = header.Groups["category"].Value;
            // The message is on the next indented line(s); an exception's type and message follow it.
            var message = i + 1 < lines.Length && lines[i + 1].StartsWith("      ", StringComparison.Ordinal) ? lines[i + 1].Trim() : "";
            var exception = Enumerable.Range(i + 2, Math.Max(0, Math.Min(lines.Length, i + 6) - (i + 2)))
                .Select(j => lines[j]).TakeWhile(l => l.StartsWith("      ", StringComparison.Ordinal))
                .Select(l => l.Trim()).FirstOrDefault(l => ExceptionLine().IsMatch(l));
            var unhandled = message.Contains("unhandled exception", StringComparison.OrdinalIgnoreCase);
            Add(unhandled ? LogLevels.Unhandled : level, category, exception is null ? message : $"{message} {exception}");
        }
        var entries = order
            .OrderBy(k => Rank(k.Item1)).ThenByDescending(k => counts[k])
            .Take(MaxEntries)
            .Select(k => new LogEntryReport(k.Item1, k.Item2, k.Item3, counts[k]))
            .ToList();
        return new ServiceLogReport(replica, $"{replica}.log", System.Text.Encoding.UTF8.GetByteCount(text), lines.Length - (text.EndsWith('\n') ? 1 : 0), truncated, entries)
        {
            Text = text,
        };
    }

    static int Rank(string level) => level switch
    {
        LogLevels.Unhandled => 0,
        LogLevels.Critical => 1,
        LogLevels.Error => 2,
        _ => 3,
    };

    static string Normalise(string message)
    {
        var text = Volatile().Replace(message, "…");
        return text.Length > MaxMessageChars ? text[..MaxMessageChars] + " ..." : text;
    }

    [GeneratedRegex(@"^(?<level>trce|dbug|info|warn|fail|crit): (?<category>[^\[\s]+)\[\d+\]")]
    private static partial Regex Header();

    [GeneratedRegex(@"^[A-Za-z_][\w.]*(Exception|Error)\b")]
    private static partial Regex ExceptionLine();

    /// <summary>Connection and request ids, GUIDs, hex ids and numbers: what differs between repeats of one problem.</summary>
    [GeneratedRegex(@"""[0-9A-Z]{13}(:[0-9A-F]{8})?""|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b|\b[0-9a-f]{16,}\b|\b\d+(\.\d+)?\b", RegexOptions.IgnoreCase)]
    private static partial Regex Volatile();
}
