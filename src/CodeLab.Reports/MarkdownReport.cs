using System.Globalization;
using System.Text;

namespace CodeLab.Reports;

/// <summary>
/// report.md: what a reviewer reads in two minutes. The verdict and the score by criterion first, then what
/// broke and why (failure messages in words, never hidden test code), then what works, then compiler
/// warnings, then how the grade was made.
/// </summary>
public static class MarkdownReport
{
    const int MaxWarnings = 20;

    static readonly System.Globalization.CultureInfo Inv = System.Globalization.CultureInfo.InvariantCulture;

    public static string Render(GradeReport report)
    {
        var md = new StringBuilder();
        md.AppendLine($"# {report.Exercise} ({report.Level}): {Points(report.Score.Total)} / {Points(report.Score.Max)} — {report.Verdict}");
        md.AppendLine();
        md.AppendLine(report.Summary);
        md.AppendLine();

        if (report.Score.Criteria.Count > 0)
        {
            md.AppendLine("| criterion | score | tests passed |");
            md.AppendLine("| --- | ---: | ---: |");
            foreach (var c in report.Score.Criteria)
                md.AppendLine($"| {Cell(c.Title)} | {Points(c.Score)} / {Points(c.Max)} | {c.TestsPassed} / {c.TestsTotal} |");
            md.AppendLine();
        }

        if (report.Policy.Violations.Count > 0)
        {
            md.AppendLine("## Refused by the sandbox policy (nothing ran)");
            md.AppendLine();
            foreach (var v in report.Policy.Violations)
                md.AppendLine($"- `{Where(v.File, v.Line)}` ({v.Rule}): {v.Message}");
            md.AppendLine();
        }

        var errors = report.Compilation.Diagnostics.Where(d => d.Severity == "error").ToList();
        if (errors.Count > 0)
        {
            md.AppendLine("## Compile errors");
            md.AppendLine();
            foreach (var d in errors.Take(30))
                md.AppendLine($"- `{Where(d.File, d.Line, d.Column)}` {d.Id}: {d.Message}");
            if (errors.Count > 30) md.AppendLine($"- ... and {errors.Count - 30} more");
            md.AppendLine();
        }

        var titles = report.Score.Criteria.ToDictionary(c => c.Id, c => c.Title);
        var broken = report.Tests.Where(t => t.Status != TestStatuses.Pass).ToList();
        if (broken.Count > 0 && report.Verdict == Verdicts.Graded)
        {
            md.AppendLine("## What breaks");
            md.AppendLine();
            foreach (var group in broken.GroupBy(t => t.Criterion))
            {
                md.AppendLine($"### {titles.GetValueOrDefault(group.Key, group.Key)}");
                md.AppendLine();
                foreach (var t in group)
                {
                    md.AppendLine($"- **{t.Description}** ({t.Suite}, {StatusWords(t.Status)}{Duration(t.DurationMs)})");
                    if (!string.IsNullOrWhiteSpace(t.Message)) md.AppendLine(Indented(t.Message));
                    if (!string.IsNullOrWhiteSpace(t.CandidateStack)) md.AppendLine(Indented("in your code:\n" + t.CandidateStack));
                }
                md.AppendLine();
            }
        }

        var passed = report.Tests.Where(t => t.Status == TestStatuses.Pass).ToList();
        if (passed.Count > 0)
        {
            md.AppendLine("## What works");
            md.AppendLine();
            foreach (var group in passed.GroupBy(t => t.Criterion))
                md.AppendLine($"- {titles.GetValueOrDefault(group.Key, group.Key)}: {string.Join("; ", group.Select(t => t.Description))}");
            md.AppendLine();
        }

        if (report.Checks.Count > 0)
        {
            md.AppendLine("## Checks");
            md.AppendLine();
            md.AppendLine("Counted by the grader's own test doubles, not taken from the service's answers.");
            md.AppendLine();
            md.AppendLine("| check | expected | actual | |");
            md.AppendLine("| --- | --- | --- | --- |");
            foreach (var check in report.Checks)
                md.AppendLine($"| {check.Name} | {check.Expected} | {check.Actual} | {(check.Passed ? "ok" : "**FAILED**")} |");
            md.AppendLine();
        }

        if (report.Load.Count > 0)
        {
            md.AppendLine("## Under load");
            md.AppendLine();
            md.AppendLine("Latency is measured from when each call was due to start, so time a call spent waiting counts.");
            md.AppendLine();
            md.AppendLine("| scenario | rate (achieved / target) | ok | failed | p50 ms | p95 ms | p99 ms | max ms | thresholds |");
            md.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
            foreach (var load in report.Load)
            {
                var verdicts = load.Error ?? string.Join("<br>", load.Thresholds.Select(t => $"{(t.Passed ? "ok" : "**FAILED**")}: {t.Message}"));
                if (load.GeneratorBound) verdicts += "<br>inconclusive: the load generator fell behind its schedule";
                var target = load.TargetRate is { } t ? t.ToString("0.#", Inv) : "-";
                md.AppendLine(string.Create(Inv, $"| {load.Scenario} | {load.AchievedRate:0.#} / {target} per s | {load.Requests.Ok} | {load.Requests.Fail} | {load.LatencyMs.P50:0.#} | {load.LatencyMs.P95:0.#} | {load.LatencyMs.P99:0.#} | {load.LatencyMs.Max:0.#} | {verdicts} |"));
            }
            md.AppendLine();
        }

        var warnings = report.Compilation.Diagnostics.Where(d => d.Severity == "warning").ToList();
        if (warnings.Count > 0)
        {
            md.AppendLine($"## Compiler warnings ({warnings.Count})");
            md.AppendLine();
            foreach (var d in warnings.Take(MaxWarnings))
                md.AppendLine($"- `{Where(d.File, d.Line, d.Column)}` {d.Id}: {d.Message}");
            if (warnings.Count > MaxWarnings) md.AppendLine($"- ... and {warnings.Count - MaxWarnings} more (report.json has them all)");
            md.AppendLine();
        }

        if (report.Notes.Count > 0)
        {
            md.AppendLine("## Notes");
            md.AppendLine();
            foreach (var note in report.Notes) md.AppendLine($"- {note}");
            md.AppendLine();
        }

        md.AppendLine("## How this grade was made");
        md.AppendLine();
        var t2 = report.Timings;
        md.Append($"compile {Ms(t2.CompileMs)} · tests {Ms(t2.TestMs)}");
        if (report.Sandbox is { } s) md.Append($" in {s.Runs} sandbox run{(s.Runs == 1 ? "" : "s")} (exit {s.ExitCode}{(s.TimedOut ? ", timed out" : "")}{(s.OomKilled ? ", out of memory" : "")})");
        md.AppendLine($" · total {Ms(t2.TotalMs)}");
        md.AppendLine();
        var e = report.Environment;
        md.AppendLine($"CodeLab {e.CodelabVersion} · image `{e.ImageId}` · {e.Runtime}" + (report.Submission is { } sub ? $" · submission sha256 `{sub.Sha256[..16]}` ({sub.Files.Count} files)" : ""));
        return md.ToString();
    }

    static string StatusWords(string status) => status switch
    {
        TestStatuses.Fail => "failed",
        TestStatuses.Error => "crashed",
        TestStatuses.Timeout => "timed out",
        TestStatuses.NotRun => "did not run",
        _ => status,
    };

    static string Points(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    static string Ms(double ms) => ms >= 1000 ? (ms / 1000).ToString("0.0", CultureInfo.InvariantCulture) + " s" : ms.ToString("0", CultureInfo.InvariantCulture) + " ms";

    static string Duration(double? ms) => ms is { } value ? ", " + Ms(value) : "";

    static string Where(string file, int line, int column = 0) =>
        string.IsNullOrEmpty(file) ? "(compiled code)" : column > 0 ? $"{file}:{line}:{column}" : line > 0 ? $"{file}:{line}" : file;

    static string Cell(string text) => text.Replace("|", "\\|");

    static string Indented(string text)
    {
        var lines = text.Replace("\r", "").Split('\n').Where(l => l.Length > 0).Take(12);
        return string.Join('\n', lines.Select(l => "  > " + l));
    }
}
