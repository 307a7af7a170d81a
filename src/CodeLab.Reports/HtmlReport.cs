namespace CodeLab.Reports;

/// <summary>
/// report.html: the content of report.md in one self-contained file (styles inline, charts as inline SVG, no external
/// asset, no script: a Content-Security-Policy forbids both), plus a bar per criterion and, per load scenario, its
/// latency over time with the thresholds drawn. Every piece of candidate text goes through <see cref="HtmlWriter"/>
/// and is encoded; the only markup is written here as literals.
/// </summary>
public static class HtmlReport
{
    const string Style = """
        body{font:14px/1.45 system-ui,sans-serif;max-width:960px;margin:24px auto;padding:0 16px;color:#1a202c}
        h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #e2e8f0;padding-bottom:4px;margin-top:28px}h3{font-size:15px}
        table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #e2e8f0;padding:3px 8px;text-align:left;vertical-align:top}
        pre{background:#f7fafc;border:1px solid #e2e8f0;padding:8px;overflow-x:auto;white-space:pre-wrap;word-break:break-word}
        code{background:#f7fafc;padding:0 3px}
        .rec{padding:10px 14px;border-radius:6px;font-size:15px}.do-not-advance{background:#fed7d7}.discuss{background:#feebc8}.advance{background:#c6f6d5}.none{background:#e2e8f0}
        .sev{font-weight:600;padding:0 6px;border-radius:4px;font-size:12px}.sev.blocker{background:#c53030;color:#fff}.sev.major{background:#dd6b20;color:#fff}.sev.minor{background:#d69e2e;color:#fff}
        .bar{background:#edf2f7;width:220px;height:12px;display:inline-block;vertical-align:middle}.fill{height:12px;background:#38a169}.fill.lost{background:#e53e3e}
        .finding{border-left:4px solid #cbd5e0;padding-left:12px;margin:14px 0}.finding.blocker{border-color:#c53030}.finding.major{border-color:#dd6b20}.finding.minor{border-color:#d69e2e}
        .legend{font-size:12px;color:#4a5568}.fail{color:#c53030;font-weight:600}.muted{color:#718096}
        """;

    public static string Render(GradeReport report)
    {
        var h = new HtmlWriter();
        var titles = report.Score.Criteria.ToDictionary(c => c.Id, c => c.Title);
        var tests = report.Tests.GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.First());
        h.Add($"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        h.Add($"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">");
        h.Add($"<title>{report.Exercise} ({report.Level}): {report.Score.Total:0.#} / 100</title><style>{Html.Of($"{Style}")}</style></head><body>\n");
        h.Add($"<h1>{report.Exercise} ({report.Level}): {report.Score.Total:0.#} / {report.Score.Max:0.#} — {report.Verdict}</h1>\n");
        h.Add($"<p class=\"rec {Decision(report.Recommendation.Decision)}\"><strong>Recommendation: {ReportText.DecisionWords(report.Recommendation.Decision)}.</strong> {report.Recommendation.Reason}</p>\n");
        h.Add($"<p>{report.Summary}</p>\n");

        if (report.Score.Criteria.Count > 0)
        {
            h.Add($"<table><tr><th>criterion</th><th>severity</th><th>score</th><th></th><th>tests passed</th></tr>\n");
            foreach (var c in report.Score.Criteria)
            {
                var share = c.Max > 0 ? Math.Clamp(c.Score / c.Max * 100, 0, 100) : 0;
                var lost = c.Score < c.Max ? Html.Of($" lost") : Html.Of($"");
                h.Add($"<tr><td>{c.Title}</td><td>{Severity(c.Severity)}</td><td>{c.Score:0.#} / {c.Max:0.#}</td><td><span class=\"bar\"><span class=\"fill{lost}\" style=\"display:block;width:{share:0.#}%\"></span></span></td><td>{c.TestsPassed} / {c.TestsTotal}</td></tr>\n");
            }
            h.Add($"</table>\n<p class=\"muted\">{ReportText.ScoreRule(report.Score)}</p>\n");
        }

        if (report.Policy.Violations.Count > 0)
        {
            h.Add($"<h2>Refused by the sandbox policy (nothing ran)</h2><ul>\n");
            foreach (var v in report.Policy.Violations) h.Add($"<li>{Where(v.File, v.Line)} ({v.Rule}): {v.Message}</li>\n");
            h.Add($"</ul>\n");
        }
        var errors = report.Compilation.Diagnostics.Where(d => d.Severity == "error").ToList();
        if (errors.Count > 0)
        {
            h.Add($"<h2>Compile errors</h2><ul>\n");
            foreach (var d in errors.Take(30)) h.Add($"<li>{Where(d.File, d.Line, d.Column)} {d.Id}: {d.Message}</li>\n");
            h.Add($"</ul>\n");
        }

        if (report.Findings.Count > 0)
        {
            h.Add($"<h2>Findings</h2>\n");
            foreach (var (f, i) in report.Findings.Select((f, i) => (f, i + 1)))
            {
                h.Add($"<div class=\"finding {Decision(f.Severity)}\"><h3>{i}. {Severity(f.Severity)} {f.Headline}</h3>\n");
                h.Add($"<p><strong>Consequence:</strong> {f.Consequence}</p><p><strong>Size:</strong> {f.Size}</p>\n");
                if (f.Checks.Count > 0)
                {
                    h.Add($"<table><tr><th>check</th><th>expected</th><th>the reference measured</th><th>this submission</th></tr>\n");
                    foreach (var c in f.Checks) h.Add($"<tr><td>{c.Name}</td><td>{c.Expected}</td><td>{c.Reference ?? "-"}</td><td class=\"fail\">{c.Actual}</td></tr>\n");
                    h.Add($"</table>\n");
                }
                h.Add($"<p>Failed tests:</p><ul>\n");
                foreach (var name in f.Tests)
                    if (tests.TryGetValue(name, out var t)) h.Add($"<li>{t.Description} ({t.Suite}, {ReportText.StatusWords(t.Status)}; details in the appendix)</li>\n");
                h.Add($"</ul>\n");
                if (f.Code.Count > 0)
                {
                    h.Add($"<p>In the code:</p><ul>\n");
                    foreach (var c in f.Code) h.Add($"<li>{Where(c.File, c.Line)} {c.Note}: <code>{c.Code}</code></li>\n");
                    h.Add($"</ul>\n");
                }
                if (f.AlsoFailed.Count > 0)
                {
                    h.Add($"<p>{ReportText.SameCause}</p><ul>\n");
                    foreach (var a in f.AlsoFailed)
                    {
                        h.Add($"<li>{Severity(a.Severity)} <strong>{a.Headline}.</strong> {a.Consequence} {a.Size} Failed: ");
                        foreach (var (n, k) in a.Tests.Select((n, k) => (n, k)))
                            h.Add($"{(k > 0 ? "; " : "")}{(tests.TryGetValue(n, out var t) ? t.Description : n)}");
                        h.Add($".</li>\n");
                    }
                    h.Add($"</ul>\n");
                }
                h.Add($"</div>\n");
            }
        }

        if (report.Questions.Count > 0)
        {
            h.Add($"<h2>{(report.Questions.Any(q => q.Kind == "follow-up") ? "Questions to ask" : "Discussion points")}</h2><ul>\n");
            foreach (var q in report.Questions) h.Add($"<li><strong>{q.Ask}</strong><br>A good answer covers: {q.GoodAnswer}</li>\n");
            h.Add($"</ul>\n");
        }

        var passed = report.Tests.Where(t => t.Status == TestStatuses.Pass).ToList();
        if (passed.Count > 0)
        {
            h.Add($"<h2>What works</h2><ul>\n");
            foreach (var group in passed.GroupBy(t => t.Criterion))
                h.Add($"<li>{titles.GetValueOrDefault(group.Key, group.Key)}: {string.Join("; ", group.Select(t => t.Description))}</li>\n");
            h.Add($"</ul>\n");
        }

        if (report.Checks.Count > 0)
        {
            h.Add($"<h2>Checks</h2><p>Counted by the grader's own test doubles, not taken from the service's answers. The expected value is what the exercise requires; the reference column is what the reference solution measured when it was calibrated (its median).</p>\n");
            h.Add($"<table><tr><th>check</th><th>expected</th><th>reference</th><th>actual</th><th></th></tr>\n");
            foreach (var c in report.Checks)
                h.Add($"<tr><td>{c.Name}</td><td>{c.Expected}</td><td>{c.Reference ?? "-"}</td><td>{c.Actual}</td><td>{(c.Passed ? Html.Of($"ok") : Html.Of($"<span class=\"fail\">FAILED</span>"))}</td></tr>\n");
            h.Add($"</table>\n");
        }

        if (report.Load.Count > 0)
        {
            h.Add($"<h2>Under load</h2><p>Latency is measured from when each call was due to start, so time a call spent waiting counts.</p>\n");
            foreach (var load in report.Load)
            {
                var target = load.TargetRate is { } rate ? Html.Of($"{rate:0.#}") : Html.Of($"-");
                var l = load.LatencyMs;
                h.Add($"<h3>{load.Scenario}</h3><p>{load.AchievedRate:0.#} / {target} calls per second; {load.Requests.Ok} ok, {load.Requests.Fail} failed; p50 {l.P50:0.#} ms, p95 {l.P95:0.#} ms, p99 {l.P99:0.#} ms, max {l.Max:0.#} ms.</p>\n");
                if (load.Error is { } error) h.Add($"<p class=\"fail\">{error}</p>\n");
                if (load.GeneratorBound) h.Add($"<p class=\"fail\">Inconclusive: the load generator fell behind its schedule.</p>\n");
                if (load.Thresholds.Count > 0)
                {
                    h.Add($"<ul>\n");
                    foreach (var t in load.Thresholds) h.Add($"<li>{(t.Passed ? Html.Of($"ok") : Html.Of($"<span class=\"fail\">FAILED</span>"))}: {t.Message}{(t.Reference is { } reference ? Html.Of($" (reference: {reference})") : Html.Of($""))}</li>\n");
                    h.Add($"</ul>\n");
                }
                h.Add(LatencyChart.Render(load));
            }
        }

        if (report.ServiceLogs.Count > 0)
        {
            h.Add($"<h2>What the service logged</h2><p>Unhandled exceptions, errors and warnings, grouped with counts; each replica's whole log is in the file beside this report.</p><ul>\n");
            foreach (var log in report.ServiceLogs)
                h.Add($"<li>{log.Replica}: {LogLink(log.File)} ({log.Lines} lines{(log.Truncated ? ", cut at its size limit" : "")}): {log.Unhandled} unhandled, {log.Errors} errors, {log.Warnings} warnings</li>\n");
            h.Add($"</ul>\n");
            var entries = report.ServiceLogs.SelectMany(l => l.Entries.Select(e => (l.Replica, Entry: e))).ToList();
            if (entries.Count > 0)
            {
                h.Add($"<table><tr><th>replica</th><th>level</th><th>category</th><th>message</th><th>count</th></tr>\n");
                foreach (var (replica, e) in entries) h.Add($"<tr><td>{replica}</td><td>{e.Level}</td><td>{e.Category}</td><td>{e.Message}</td><td>{e.Count}</td></tr>\n");
                h.Add($"</table>\n");
            }
        }

        var warnings = report.Compilation.Diagnostics.Where(d => d.Severity == "warning").ToList();
        if (warnings.Count > 0)
        {
            h.Add($"<h2>Compiler warnings ({warnings.Count})</h2><ul>\n");
            foreach (var d in warnings.Take(20)) h.Add($"<li>{Where(d.File, d.Line, d.Column)} {d.Id}: {d.Message}</li>\n");
            h.Add($"</ul>\n");
        }

        h.Add($"<h2>How this grade was made</h2>\n");
        var tm = report.Timings;
        var runs = report.Sandbox is { } s ? Html.Of($" in {s.Runs} sandbox run(s) (exit {s.ExitCode}{(s.TimedOut ? ", timed out" : "")}{(s.OomKilled ? ", out of memory" : "")})") : Html.Of($"");
        h.Add($"<p>compile {ReportText.Ms(tm.CompileMs)} · tests {ReportText.Ms(tm.TestMs)}{runs} · total {ReportText.Ms(tm.TotalMs)}</p>\n");
        var sub = report.Submission is { } submission ? Html.Of($" · submission sha256 <code>{submission.Sha256[..Math.Min(16, submission.Sha256.Length)]}</code> ({submission.Files.Count} files)") : Html.Of($"");
        h.Add($"<p>CodeLab {report.Environment.CodelabVersion} · image <code>{report.Environment.ImageId}</code> · {report.Environment.Runtime}{sub}</p>\n");
        if (report.Policy.Version.Length > 0) h.Add($"<p>Judged by the {report.Policy.Profile} policy, version {report.Policy.Version}.</p>\n");

        var broken = report.Tests.Where(t => t.Status != TestStatuses.Pass).ToList();
        var details = report.Verdict == Verdicts.Graded && broken.Any(t => !string.IsNullOrWhiteSpace(t.Message) || !string.IsNullOrWhiteSpace(t.CandidateStack));
        if (details || report.Notes.Count > 0) h.Add($"<h2>Appendix</h2>\n");
        if (details)
        {
            h.Add($"<h3>Failure details</h3>\n");
            foreach (var t in broken)
            {
                h.Add($"<p><strong>{t.Description}</strong> ({titles.GetValueOrDefault(t.Criterion, t.Criterion)}; {t.Suite}, {ReportText.StatusWords(t.Status)})</p>\n");
                if (!string.IsNullOrWhiteSpace(t.Message)) h.Block(ReportText.Excerpt(t.Message));
                if (!string.IsNullOrWhiteSpace(t.CandidateStack))
                {
                    h.Add($"<p>in your code:</p>\n");
                    h.Block(ReportText.Excerpt(t.CandidateStack));
                }
            }
        }
        if (report.Notes.Count > 0)
        {
            h.Add($"<h3>Notes</h3>\n");
            foreach (var note in report.Notes) h.Block(ReportText.Excerpt(note));
        }
        h.Add($"</body></html>\n");
        return h.ToString();
    }

    /// <summary>A class name from a fixed set (never the value itself: it is data).</summary>
    static Html Decision(string value) => value switch
    {
        Decisions.Advance => Html.Of($"advance"),
        Decisions.Discuss => Html.Of($"discuss"),
        Decisions.DoNotAdvance => Html.Of($"do-not-advance"),
        "blocker" => Html.Of($"blocker"),
        "major" => Html.Of($"major"),
        "minor" => Html.Of($"minor"),
        _ => Html.Of($"none"),
    };

    static Html Severity(string severity) => Html.Of($"<span class=\"sev {Decision(severity)}\">{severity}</span>");

    static Html LogLink(string file) =>
        ReportText.IsOurLogFile(file) ? Html.Of($"<a href=\"{file}\">{file}</a>") : Html.Of($"<code>{file}</code>");

    static Html Where(string file, int line, int column = 0) =>
        string.IsNullOrEmpty(file) ? Html.Of($"(compiled code)")
        : Html.Of($"<code>{(column > 0 ? $"{file}:{line}:{column}" : line > 0 ? $"{file}:{line}" : file)}</code>");
}
