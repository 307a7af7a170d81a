using System.Text.Json.Serialization;

namespace CodeLab.Reports;

/// <summary>
/// One replica's log: kept whole in <see cref="File"/> beside the report; the report shows only what a reviewer
/// needs, the unhandled exceptions, errors and warnings it logged, grouped with counts (all candidate text).
/// </summary>
public sealed record ServiceLogReport(string Replica, string File, long Bytes, int Lines, bool Truncated, IReadOnlyList<LogEntryReport> Entries)
{
    public int Warnings => Entries.Where(e => e.Level == LogLevels.Warning).Sum(e => e.Count);
    public int Errors => Entries.Where(e => e.Level is LogLevels.Error or LogLevels.Critical).Sum(e => e.Count);
    public int Unhandled => Entries.Where(e => e.Level == LogLevels.Unhandled).Sum(e => e.Count);

    /// <summary>The whole log, written to <see cref="File"/>; never in report.json.</summary>
    [JsonIgnore] public string Text { get; init; } = "";
}
