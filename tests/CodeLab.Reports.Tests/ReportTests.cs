using System.Text.Json.Nodes;

namespace CodeLab.Reports.Tests;

public sealed class ReportTests
{
    static GradeReport Sample(string verdict = Verdicts.Graded) => new()
    {
        Exercise = "rate-limiter",
        Level = "mid",
        Verdict = verdict,
        Summary = "3 of 4 tests pass. Points lost on: Concurrency (-25).",
        Score = new ScoreReport(26.3, 100, [new("bucket", "Bucket arithmetic", 75, 75, 3, 3) { Severity = "blocker" }, new("concurrency", "Concurrency", 0, 25, 0, 1) { Severity = "blocker" }])
        {
            Points = 75, Band = new ScoreBand("blocker", 0, 35),
        },
        Recommendation = new(Decisions.DoNotAdvance, "A blocker at this level (Concurrency): do not advance, whatever the score."),
        Findings =
        [
            new FindingReport
            {
                Severity = "blocker", Criterion = "concurrency", Headline = "Concurrency", Consequence = "The limit does not hold under parallel callers.",
                Size = "1 of 1 test of this criterion failed.", Tests = ["T.Parallel"], Code = [new("src/Limiter.cs", 40, "lock (gate) { }", "lock (gate)")],
            },
        ],
        Questions = [new("follow-up", "concurrency", "Which line makes sure only one caller gets the last token?", "A lock per bucket or a CAS loop.")],
        Compilation = new CompilationReport(true, 120, [new("CS8618", "warning", "src/Limiter.cs", 12, 5, "Non-nullable field 'x' must contain a non-null value")]),
        Policy = new PolicyReport([]),
        Tests =
        [
            new() { Name = "T.Refill", Description = "Refills at the configured rate", Suite = "hidden", Criterion = "bucket", Status = TestStatuses.Pass, DurationMs = 3 },
            new() { Name = "T.Parallel", Description = "Parallel callers never exceed capacity", Suite = "hidden", Criterion = "concurrency", Status = TestStatuses.Fail,
                    Message = "admitted 12 of capacity 10", CandidateStack = "at Limiter.TryAcquire() in src/Limiter.cs:line 40", DurationMs = 310 },
        ],
        Sandbox = new SandboxReport("codelab-sandbox:abc", 0, false, false, 900, 1),
        Timings = new TimingsReport(120, 900, 1100),
        Environment = new EnvironmentReport("0.1.0", "sha256:abc", ".NET 10.0.12"),
        Submission = new SubmissionReport("0123456789abcdef0123", [new("src/Limiter.cs", 2048)]),
    };

    [Fact]
    public void Json_has_the_required_schema_fields_in_camel_case()
    {
        var json = JsonNode.Parse(JsonReport.Render(Sample()))!;
        json["schemaVersion"]!.GetValue<int>().ShouldBe(2);
        json["verdict"]!.GetValue<string>().ShouldBe("graded");
        json["score"]!["total"]!.GetValue<double>().ShouldBe(26.3);
        json["score"]!["points"]!.GetValue<double>().ShouldBe(75);
        json["score"]!["band"]!["severity"]!.GetValue<string>().ShouldBe("blocker");
        json["recommendation"]!["decision"]!.GetValue<string>().ShouldBe("do-not-advance");
        json["findings"]![0]!["code"]![0]!["line"]!.GetValue<int>().ShouldBe(40);
        json["questions"]![0]!["goodAnswer"]!.GetValue<string>().ShouldNotBeEmpty();
        json["score"]!["max"]!.GetValue<double>().ShouldBe(100);
        json["score"]!["criteria"]![0]!["id"]!.GetValue<string>().ShouldBe("bucket");
        json["compilation"]!["diagnostics"]![0]!["file"]!.GetValue<string>().ShouldBe("src/Limiter.cs");
        json["policy"]!["violations"]!.AsArray().ShouldBeEmpty();
        json["tests"]![1]!["status"]!.GetValue<string>().ShouldBe("fail");
        json["sandbox"]!["timedOut"]!.GetValue<bool>().ShouldBeFalse();
        json["timings"]!["totalMs"]!.GetValue<double>().ShouldBe(1100);
        json["environment"]!["imageId"]!.GetValue<string>().ShouldBe("sha256:abc");
    }

    [Fact]
    public void The_reference_figure_stands_beside_the_candidates_in_findings_checks_and_thresholds()
    {
        var check = new CheckReport("requests admitted beyond the tenant's tokens", "concurrency", "0", "48", false, Reference: "0");
        var report = Sample() with
        {
            Findings = [Sample().Findings[0] with { Checks = [check] }],
            Checks = [check],
            Load = [new LoadReport("payments", "concurrency", 20, 19.8, new LoadRequests(400, 0), new LoadLatency(30, 438, 460, 470), false,
                [new LoadThreshold("All.Latency.P95Ms < 250", 438, false, "All.Latency.P95Ms < 250 (was 438)", Reference: "45")])],
        };
        var md = MarkdownReport.Render(report);
        md.ShouldContain("| check | expected | the reference measured | this submission |");
        md.ShouldContain("| requests admitted beyond the tenant's tokens | 0 | 0 | 48 |");
        md.ShouldContain("| requests admitted beyond the tenant's tokens | 0 | 0 | 48 | **FAILED** |");
        md.ShouldContain("(was 438) (reference: 45)");
        var html = HtmlReport.Render(report);
        html.ShouldContain("<td>0</td><td>0</td><td class=\"fail\">48</td>");
        html.ShouldContain("(reference: 45)");
        JsonNode.Parse(JsonReport.Render(report))!["checks"]![0]!["reference"]!.GetValue<string>().ShouldBe("0");
    }

    [Fact]
    public void Json_round_trips()
    {
        var report = Sample();
        var again = JsonReport.Parse(JsonReport.Render(report));
        JsonReport.Render(again).ShouldBe(JsonReport.Render(report));
    }

    [Fact]
    public void Markdown_puts_the_recommendation_and_score_first_then_findings_questions_what_works_warnings_the_run_and_the_appendix()
    {
        var md = MarkdownReport.Render(Sample());
        md.ShouldStartWith("# rate-limiter (mid): 26.3 / 100 — graded");
        var order = new[] { "**Recommendation: do not advance.**", "| Bucket arithmetic | blocker | 75 / 75 | 3 / 3 |", "## Findings", "### 1. Blocker: Concurrency", "**Consequence:** The limit does not hold", "`src/Limiter.cs:40` lock (gate)", "## Questions to ask", "## What works", "## Compiler warnings (1)", "## How this grade was made", "## Appendix", "admitted 12 of capacity 10", "in your code:" }
            .Select(s => md.IndexOf(s, StringComparison.Ordinal)).ToList();
        order.ShouldAllBe(i => i >= 0);
        order.ShouldBeInOrder();
    }

    [Fact]
    public void A_rejected_report_lists_the_violations_and_no_failures()
    {
        var report = Sample(Verdicts.Rejected) with
        {
            Summary = "Refused before running.",
            Policy = new PolicyReport([new("process", "src/Limiter.cs", 7, "System.Diagnostics.Process.Start: not allowed")]),
        };
        var md = MarkdownReport.Render(report);
        md.ShouldContain("## Refused by the sandbox policy (nothing ran)");
        md.ShouldContain("`src/Limiter.cs:7` (process)");
        md.ShouldNotContain("## What breaks");
    }
}
