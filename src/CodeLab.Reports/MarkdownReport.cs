namespace CodeLab.Reports;

/// <summary>
/// report.md: what a reviewer reads in two minutes. The recommendation and the summary first, then the score by
/// criterion, one finding per root cause (consequence, size, evidence: checks, tests, the candidate's code lines),
/// the questions to ask, what works, checks, load and the service's logged problems, compiler warnings, how the grade
/// was made; assertion dumps, stack frames and notes last, in the appendix.
/// Every text field of the report can carry the candidate's words (a file name, a #warning, an exception
/// message, a response body, a log), so all of them go through <see cref="MarkdownWriter"/>: escaped inline or
/// fenced, never raw. The only markup in report.md is written here as literals, and it holds no HTML.
/// </summary>
public static class MarkdownReport
{
    const int MaxWarnings = 20;
    const int MaxErrors = 30;

    static readonly Markdown Ok = Markdown.Of($"ok");
    static readonly Markdown Failed = Markdown.Of($"**FAILED**");

    public static string Render(GradeReport report)
    {
        var md = new MarkdownWriter();
        md.Line($"# {report.Exercise} ({report.Level}): {report.Score.Total:0.#} / {report.Score.Max:0.#} — {report.Verdict}");
        md.Blank();
        md.Line($"**Recommendation: {ReportText.DecisionWords(report.Recommendation.Decision)}.** {report.Recommendation.Reason}");
        md.Blank();
        md.Line($"{report.Summary}");
        md.Blank();

        if (report.Score.Criteria.Count > 0)
        {
            md.Line($"| criterion | severity | score | tests passed |");
            md.Line($"| --- | --- | ---: | ---: |");
            foreach (var c in report.Score.Criteria)
                md.Line($"| {c.Title} | {c.Severity} | {c.Score:0.#} / {c.Max:0.#} | {c.TestsPassed} / {c.TestsTotal} |");
            md.Blank();
            md.Line($"{ReportText.ScoreRule(report.Score)}");
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
        var tests = report.Tests.GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.First());
        if (report.Findings.Count > 0)
        {
            md.Line($"## Findings");
            md.Blank();
            foreach (var (f, i) in report.Findings.Select((f, i) => (f, i + 1)))
            {
                md.Line($"### {i}. {ReportText.Capital(f.Severity)}: {f.Headline}");
                md.Blank();
                md.Line($"**Consequence:** {f.Consequence}");
                md.Blank();
                md.Line($"**Size:** {f.Size}");
                md.Blank();
                if (f.Checks.Count > 0)
                {
                    md.Line($"| check | expected | the reference measured | this submission |");
                    md.Line($"| --- | --- | --- | --- |");
                    foreach (var check in f.Checks)
                        md.Line($"| {check.Name} | {check.Expected} | {check.Reference ?? "-"} | {check.Actual} |");
                    md.Blank();
                }
                md.Line($"Failed tests:");
                md.Blank();
                foreach (var name in f.Tests)
                    if (tests.TryGetValue(name, out var t))
                        md.Line($"- {t.Description} ({t.Suite}, {ReportText.StatusWords(t.Status)}; details in the appendix)");
                md.Blank();
                if (f.Code.Count > 0)
                {
                    md.Line($"In the code:");
                    md.Blank();
                    foreach (var c in f.Code)
                        md.Line($"- {Where(c.File, c.Line)} {c.Note}: {Markdown.Code(c.Code)}");
                    md.Blank();
                }
                if (f.AlsoFailed.Count > 0)
                {
                    md.Line($"{ReportText.SameCause}");
                    md.Blank();
                    foreach (var a in f.AlsoFailed)
                    {
                        var failedTests = string.Join("; ", a.Tests.Select(n => tests.TryGetValue(n, out var t) ? t.Description : n));
                        md.Line($"- **{ReportText.Capital(a.Severity)}: {a.Headline}.** {a.Consequence} {a.Size} Failed: {failedTests}.");
                    }
                    md.Blank();
                }
            }
        }

        if (report.Questions.Count > 0)
        {
            md.Line($"## {(report.Questions.Any(q => q.Kind == "follow-up") ? "Questions to ask" : "Discussion points")}");
            md.Blank();
            foreach (var q in report.Questions)
                md.Line($"- **{q.Ask}** A good answer covers: {q.GoodAnswer}");
            md.Blank();
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
            md.Line($"Counted by the grader's own test doubles, not taken from the service's answers. The expected value is what the exercise requires; the reference column is what the reference solution measured when it was calibrated (its median).");
            md.Blank();
            md.Line($"| check | expected | reference | actual | |");
            md.Line($"| --- | --- | --- | --- | --- |");
            foreach (var check in report.Checks)
                md.Line($"| {check.Name} | {check.Expected} | {check.Reference ?? "-"} | {check.Actual} | {(check.Passed ? Ok : Failed)} |");
            md.Blank();
        }

        if (report.Load.Count > 0)
        {
            md.Line($"## Under load");
            md.Blank();
            md.Line($"Latency is measured from when each call was due to start, so time a call spent waiting counts. The per-second chart is in report.html.");
            md.Blank();
            md.Line($"| scenario | rate (achieved / target) | ok | failed | p50 ms | p95 ms | p99 ms | max ms | thresholds |");
            md.Line($"| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
            foreach (var load in report.Load)
            {
                var verdicts = load.Error is { } error
                    ? Markdown.Of($"{error}")
                    : Markdown.Join($"; ", load.Thresholds.Select(t => t.Reference is { } reference
                        ? Markdown.Of($"{(t.Passed ? Ok : Failed)}: {t.Message} (reference: {reference})")
                        : Markdown.Of($"{(t.Passed ? Ok : Failed)}: {t.Message}")));
                if (load.GeneratorBound) verdicts = Markdown.Of($"{verdicts}; inconclusive: the load generator fell behind its schedule");
                var target = load.TargetRate is { } rate ? Markdown.Of($"{rate:0.#}") : Markdown.Of($"-");
                var l = load.LatencyMs;
                md.Line($"| {load.Scenario} | {load.AchievedRate:0.#} / {target} per s | {load.Requests.Ok} | {load.Requests.Fail} | {l.P50:0.#} | {l.P95:0.#} | {l.P99:0.#} | {l.Max:0.#} | {verdicts} |");
            }
            md.Blank();
        }

        if (report.ServiceLogs.Count > 0)
        {
            md.Line($"## What the service logged");
            md.Blank();
            md.Line($"Unhandled exceptions, errors and warnings, grouped with counts; each replica's whole log is in the file beside this report.");
            md.Blank();
            foreach (var log in report.ServiceLogs)
                md.Line($"- {log.Replica}: {Markdown.LogLink(log.File)} ({log.Lines} lines{(log.Truncated ? ", cut at its size limit" : "")}): {log.Unhandled} unhandled, {log.Errors} errors, {log.Warnings} warnings");
            md.Blank();
            var entries = report.ServiceLogs.SelectMany(l => l.Entries.Select(e => (l.Replica, Entry: e))).ToList();
            if (entries.Count > 0)
            {
                md.Line($"| replica | level | category | message | count |");
                md.Line($"| --- | --- | --- | --- | ---: |");
                foreach (var (replica, e) in entries)
                    md.Line($"| {replica} | {e.Level} | {e.Category} | {e.Message} | {e.Count} |");
                md.Blank();
            }
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

        md.Line($"## How this grade was made");
        md.Blank();
        var t2 = report.Timings;
        var sandbox = report.Sandbox is { } s
            ? Markdown.Of($" in {s.Runs} sandbox run{(s.Runs == 1 ? "" : "s")} (exit {s.ExitCode}{(s.TimedOut ? ", timed out" : "")}{(s.OomKilled ? ", out of memory" : "")})")
            : Markdown.Of($"");
        md.Line($"compile {ReportText.Ms(t2.CompileMs)} · tests {ReportText.Ms(t2.TestMs)}{sandbox} · total {ReportText.Ms(t2.TotalMs)}");
        md.Blank();
        var e2 = report.Environment;
        var submission = report.Submission is { } sub
            ? Markdown.Of($" · submission sha256 {Markdown.Code(sub.Sha256[..Math.Min(16, sub.Sha256.Length)])} ({sub.Files.Count} files)")
            : Markdown.Of($"");
        md.Line($"CodeLab {e2.CodelabVersion} · image {Markdown.Code(e2.ImageId)} · {e2.Runtime}{submission}");
        if (report.Policy.Version.Length > 0)
        {
            md.Blank();
            md.Line($"Judged by the {report.Policy.Profile} policy, version {report.Policy.Version}.");
        }
        md.Blank();

        var broken = report.Tests.Where(t => t.Status != TestStatuses.Pass).ToList();
        var details = report.Verdict == Verdicts.Graded && broken.Any(t => !string.IsNullOrWhiteSpace(t.Message) || !string.IsNullOrWhiteSpace(t.CandidateStack));
        if (details || report.Notes.Count > 0)
        {
            md.Line($"## Appendix");
            md.Blank();
        }
        if (details)
        {
            md.Line($"### Failure details");
            md.Blank();
            // Paragraphs and blocks rather than a list: a fenced block inside a list item would end the item
            // at its first unindented line, and what follows would be read as Markdown.
            foreach (var t in broken)
            {
                md.Line($"**{t.Description}** ({titles.GetValueOrDefault(t.Criterion, t.Criterion)}; {t.Suite}, {ReportText.StatusWords(t.Status)}{Duration(t.DurationMs)})");
                md.Blank();
                if (!string.IsNullOrWhiteSpace(t.Message))
                {
                    md.Block(ReportText.Excerpt(t.Message));
                    md.Blank();
                }
                if (!string.IsNullOrWhiteSpace(t.CandidateStack))
                {
                    md.Line($"in your code:");
                    md.Blank();
                    md.Block(ReportText.Excerpt(t.CandidateStack));
                    md.Blank();
                }
            }
        }

        if (report.Notes.Count > 0)
        {
            md.Line($"### Notes");
            md.Blank();
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
                md.Block(ReportText.Excerpt(note));
                md.Blank();
                inList = false;
            }
            if (inList) md.Blank();
        }
        return md.ToString();
    }

    static Markdown Duration(double? ms) => ms is { } value ? Markdown.Of($", {ReportText.Ms(value)}") : Markdown.Of($"");

    static Markdown Where(string file, int line, int column = 0) =>
        string.IsNullOrEmpty(file) ? Markdown.Of($"(compiled code)")
        : Markdown.Code(column > 0 ? $"{file}:{line}:{column}" : line > 0 ? $"{file}:{line}" : file);
}
