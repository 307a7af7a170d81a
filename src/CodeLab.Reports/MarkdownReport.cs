namespace CodeLab.Reports;

/// <summary>
/// report.md: what a reviewer reads in two minutes. The verdict and the score by criterion first, then what
/// broke and why (failure messages in words, never hidden test code), then what works, then compiler
/// warnings, then how the grade was made.
/// Every text field of the report can carry the candidate's words (a file name, a #warning, an exception
/// message, a response body, a log), so all of them go through <see cref="MarkdownWriter"/>: escaped inline or
/// fenced, never raw. The only markup in report.md is written here as literals, and it holds no HTML.
/// </summary>
public static class MarkdownReport
{
    const int MaxWarnings = 20;
    const int MaxErrors = 30;
    const int MaxBlockLines = 20;
    const int MaxBlockChars = 4000;

    static readonly Markdown Ok = Markdown.Of($"ok");
    static readonly Markdown Failed = Markdown.Of($"**FAILED**");

    public static string Render(GradeReport report)
    {
        var md = new MarkdownWriter();
        md.Line($"# {report.Exercise} ({report.Level}): {report.Score.Total:0.#} / {report.Score.Max:0.#} — {report.Verdict}");
        md.Blank();
        md.Line($"{report.Summary}");
        md.Blank();

        if (report.Score.Criteria.Count > 0)
        {
            md.Line($"| criterion | score | tests passed |");
            md.Line($"| --- | ---: | ---: |");
            foreach (var c in report.Score.Criteria)
                md.Line($"| {c.Title} | {c.Score:0.#} / {c.Max:0.#} | {c.TestsPassed} / {c.TestsTotal} |");
            md.Blank();
        }

        if (report.Policy.Violations.Count > 0)
        {
            md.Line($"## Refused by the sandbox policy (nothing ran)");
            md.Blank();
            foreach (var v in report.Policy.Violations)
                md.Line($"- {Where(v.File, v.Line)} ({v.Rule}): {v.Message}");
            md.Blank();
        }

        var errors = report.Compilation.Diagnostics.Where(d => d.Severity == "error").ToList();
        if (errors.Count > 0)
        {
            md.Line($"## Compile errors");
            md.Blank();
            foreach (var d in errors.Take(MaxErrors))
                md.Line($"- {Where(d.File, d.Line, d.Column)} {d.Id}: {d.Message}");
            if (errors.Count > MaxErrors) md.Line($"- ... and {errors.Count - MaxErrors} more");
            md.Blank();
        }

        var titles = report.Score.Criteria.ToDictionary(c => c.Id, c => c.Title);
        var broken = report.Tests.Where(t => t.Status != TestStatuses.Pass).ToList();
        if (broken.Count > 0 && report.Verdict == Verdicts.Graded)
        {
            md.Line($"## What breaks");
            md.Blank();
            foreach (var group in broken.GroupBy(t => t.Criterion))
            {
                md.Line($"### {titles.GetValueOrDefault(group.Key, group.Key)}");
                md.Blank();
                // Paragraphs and blocks rather than a list: a fenced block inside a list item would end the item
                // at its first unindented line, and what follows would be read as Markdown.
                foreach (var t in group)
                {
                    md.Line($"**{t.Description}** ({t.Suite}, {StatusWords(t.Status)}{Duration(t.DurationMs)})");
                    md.Blank();
                    if (!string.IsNullOrWhiteSpace(t.Message))
                    {
                        md.Block(Excerpt(t.Message));
                        md.Blank();
                    }
                    if (!string.IsNullOrWhiteSpace(t.CandidateStack))
                    {
                        md.Line($"in your code:");
                        md.Blank();
                        md.Block(Excerpt(t.CandidateStack));
                        md.Blank();
                    }
                }
            }
        }

        var passed = report.Tests.Where(t => t.Status == TestStatuses.Pass).ToList();
        if (passed.Count > 0)
        {
            md.Line($"## What works");
            md.Blank();
            foreach (var group in passed.GroupBy(t => t.Criterion))
                md.Line($"- {titles.GetValueOrDefault(group.Key, group.Key)}: {Markdown.Join($"; ", group.Select(t => Markdown.Of($"{t.Description}")))}");
            md.Blank();
        }

        if (report.Checks.Count > 0)
        {
            md.Line($"## Checks");
            md.Blank();
            md.Line($"Counted by the grader's own test doubles, not taken from the service's answers.");
            md.Blank();
            md.Line($"| check | expected | actual | |");
            md.Line($"| --- | --- | --- | --- |");
            foreach (var check in report.Checks)
                md.Line($"| {check.Name} | {check.Expected} | {check.Actual} | {(check.Passed ? Ok : Failed)} |");
            md.Blank();
        }

        if (report.Load.Count > 0)
        {
            md.Line($"## Under load");
            md.Blank();
            md.Line($"Latency is measured from when each call was due to start, so time a call spent waiting counts.");
            md.Blank();
            md.Line($"| scenario | rate (achieved / target) | ok | failed | p50 ms | p95 ms | p99 ms | max ms | thresholds |");
            md.Line($"| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
            foreach (var load in report.Load)
            {
                var verdicts = load.Error is { } error
                    ? Markdown.Of($"{error}")
                    : Markdown.Join($"; ", load.Thresholds.Select(t => Markdown.Of($"{(t.Passed ? Ok : Failed)}: {t.Message}")));
                if (load.GeneratorBound) verdicts = Markdown.Of($"{verdicts}; inconclusive: the load generator fell behind its schedule");
                var target = load.TargetRate is { } rate ? Markdown.Of($"{rate:0.#}") : Markdown.Of($"-");
                var l = load.LatencyMs;
                md.Line($"| {load.Scenario} | {load.AchievedRate:0.#} / {target} per s | {load.Requests.Ok} | {load.Requests.Fail} | {l.P50:0.#} | {l.P95:0.#} | {l.P99:0.#} | {l.Max:0.#} | {verdicts} |");
            }
            md.Blank();
        }

        var warnings = report.Compilation.Diagnostics.Where(d => d.Severity == "warning").ToList();
        if (warnings.Count > 0)
        {
            md.Line($"## Compiler warnings ({warnings.Count})");
            md.Blank();
            foreach (var d in warnings.Take(MaxWarnings))
                md.Line($"- {Where(d.File, d.Line, d.Column)} {d.Id}: {d.Message}");
            if (warnings.Count > MaxWarnings) md.Line($"- ... and {warnings.Count - MaxWarnings} more (report.json has them all)");
            md.Blank();
        }

        if (report.Notes.Count > 0)
        {
            md.Line($"## Notes");
            md.Blank();
            // A note may carry the service's own output (many lines): those get a block of their own.
            var inList = false;
            foreach (var note in report.Notes)
            {
                var oneLine = note.AsSpan().IndexOfAny('\r', '\n') < 0;
                if (oneLine)
                {
                    md.Line($"- {note}");
                    inList = true;
                    continue;
                }
                if (inList) md.Blank();
                md.Block(Excerpt(note));
                md.Blank();
                inList = false;
            }
            if (inList) md.Blank();
        }

        md.Line($"## How this grade was made");
        md.Blank();
        var t2 = report.Timings;
        var sandbox = report.Sandbox is { } s
            ? Markdown.Of($" in {s.Runs} sandbox run{(s.Runs == 1 ? "" : "s")} (exit {s.ExitCode}{(s.TimedOut ? ", timed out" : "")}{(s.OomKilled ? ", out of memory" : "")})")
            : Markdown.Of($"");
        md.Line($"compile {Ms(t2.CompileMs)} · tests {Ms(t2.TestMs)}{sandbox} · total {Ms(t2.TotalMs)}");
        md.Blank();
        var e = report.Environment;
        var submission = report.Submission is { } sub
            ? Markdown.Of($" · submission sha256 {Markdown.Code(sub.Sha256[..Math.Min(16, sub.Sha256.Length)])} ({sub.Files.Count} files)")
            : Markdown.Of($"");
        md.Line($"CodeLab {e.CodelabVersion} · image {Markdown.Code(e.ImageId)} · {e.Runtime}{submission}");
        if (report.Policy.Version.Length > 0)
        {
            md.Blank();
            md.Line($"Judged by the {report.Policy.Profile} policy, version {report.Policy.Version}.");
        }
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

    static Markdown Ms(double ms) => ms >= 1000 ? Markdown.Of($"{ms / 1000:0.0} s") : Markdown.Of($"{ms:0} ms");

    static Markdown Duration(double? ms) => ms is { } value ? Markdown.Of($", {Ms(value)}") : Markdown.Of($"");

    static Markdown Where(string file, int line, int column = 0) =>
        string.IsNullOrEmpty(file) ? Markdown.Of($"(compiled code)")
        : Markdown.Code(column > 0 ? $"{file}:{line}:{column}" : line > 0 ? $"{file}:{line}" : file);

    /// <summary>The first lines of a long text (report.json has it all), so one failure cannot bury the rest.</summary>
    static string Excerpt(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var kept = string.Join('\n', lines.Take(MaxBlockLines));
        if (kept.Length > MaxBlockChars) kept = kept[..MaxBlockChars] + " ...";
        return lines.Length > MaxBlockLines ? kept + $"\n... ({lines.Length - MaxBlockLines} more lines in report.json)" : kept;
    }
}
