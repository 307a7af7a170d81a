using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace CodeLab.Reports.Tests;

/// <summary>
/// A report whose every field that can carry candidate text carries an attack, rendered and then parsed as a
/// Markdown renderer would (Markdig with GitHub-like extensions): the structure a reviewer sees must be ours alone.
/// </summary>
public sealed partial class HostileReportTests
{
    const string Attack =
        "x\n```\n````\n~~~\n``````````\nCR only\r# 100 / 100 — graded\r- [x] done\r\n" +
        "# hostile: 100 / 100 — graded\n\n| criterion | score | tests passed |\n| --- | ---: | ---: |\n| Everything | 100 / 100 | 9 / 9 |\n" +
        "[link](http://x) ![img](http://x/i.png) <img src=x onerror=alert(1)> <script>alert(1)</script> <https://x> www.evil.example <!-- \n" +
        "\u001b[2J\u001b[1;1HGRADED 100\u202egnp.cs\u2066\u2069 zero\u200bwidth\u0085\u009b\u007f\0\n" +
        "$\\Huge 100$ *bold* **bold** _em_ `code` &lt;script&gt; \\\n" +
        "  1. listed\n    indented code\n> quoted\n-->";

    /// <summary>The attack with a distinct tag, so a test can tell which field a leak came from.</summary>
    static string A(string field) => $"{field}: {Attack}";

    internal static GradeReport Hostile(string verdict = Verdicts.Graded) => new()
    {
        Exercise = "rate-limiter",
        Level = "mid",
        Verdict = verdict,
        Summary = A("summary"),
        Recommendation = new(Decisions.DoNotAdvance, A("reason")),
        Findings =
        [
            new FindingReport
            {
                Severity = "blocker", Criterion = "bucket", Headline = A("headline"), Consequence = A("consequence"), Size = A("size"),
                Tests = [A("name")], Checks = [new(A("finding-check"), "bucket", A("expected"), A("actual"), false, A("reference"))],
                Code = [new(A("file"), 12, A("code"), A("note")), new("src/`x`.cs", 3, "db.StringSet(k, v, null) // ``` </code><script>", "StringSet: writes a key with no expiry")],
            },
        ],
        Questions = [new("follow-up", "bucket", A("ask"), A("good-answer"))],
        ServiceLogs =
        [
            new("app-1", "app-1.log", 100, 3, false, [new(LogLevels.Error, A("category"), A("log-message"), 2)]),
            new(A("replica"), A("log-file"), 10, 1, true, []),
        ],
        Score = new ScoreReport(64, 100, [new("bucket", A("title"), 64, 75, 3, 4), new("concurrency", "Concurrency{#y .x onclick=alert}", 0, 25, 0, 1), new("starts", "# 1. - + = heading", 0, 0, 1, 1)]),
        Compilation = new CompilationReport(true, 120,
        [
            new(A("id"), "warning", A("file"), 12, 5, A("warning")),
            new("CS1029", "error", A("file"), 3, 1, A("#error")),
        ]),
        Policy = new PolicyReport([new(A("rule"), A("file"), 7, A("violation"))]),
        Tests =
        [
            new() { Name = A("name"), Description = A("description"), Suite = "hidden", Criterion = "bucket", Status = TestStatuses.Pass, DurationMs = 3 },
            // Text that starts a list item's content: "- # x" would be a heading inside the item, "- > x" a quote.
            new() { Name = "T.Start", Description = "> quoted", Suite = "hidden", Criterion = "starts", Status = TestStatuses.Pass, DurationMs = 3 },
            new() { Name = A("name"), Description = A("description"), Suite = "hidden", Criterion = "bucket", Status = TestStatuses.Fail,
                    Message = A("message"), CandidateStack = A("stack"), Output = A("output"), DurationMs = 310 },
            new() { Name = "T.Other", Description = "Parallel callers", Suite = "hidden", Criterion = "concurrency", Status = TestStatuses.Error,
                    Message = "short", DurationMs = 1 },
        ],
        Sandbox = new SandboxReport("codelab-sandbox:abc", 0, false, false, 900, 1),
        Timings = new TimingsReport(120, 900, 1100),
        Environment = new EnvironmentReport("0.1.0", "sha256:abc", ".NET 10.0.12"),
        Submission = new SubmissionReport("0123456789abcdef0123", [new(A("path"), 2048)]),
        Notes = ["# 100 / 100 — graded", "attributes{#y .x onclick=alert}", "1. first", "- - -", "+ plus", "=====", A("note"), "Service output, app-1: " + A("log"), "one line " + Attack.Replace("\n", " ").Replace("\r", " ")],
        Load = [new(A("scenario"), "latency", 50, 49.5, new(100, 1), new(1, 2, 3, 4), true, [new(A("expression"), 3, false, A("threshold")), new("All.Latency.P99Ms < 250", 300, false, A("threshold"))])
                { Series = [new(0, 40, 0, 10, 20, 30), new(1, 40, 2, 11, 300, 400), new(2, 40, 0, 12, 22, 33)] },
                new(A("scenario"), "latency", null, 10, new(1, 1), new(1, 2, 3, 4), false, [], Error: A("load-error"))],
        Checks = [new(A("check"), "latency", A("expected"), A("actual"), false, A("reference"))],
    };

    static readonly MarkdownPipeline Renderer = new MarkdownPipelineBuilder().UseAdvancedExtensions().UsePreciseSourceLocation().Build();

    [Fact]
    public void The_only_top_level_heading_is_ours_and_carries_our_score()
    {
        var doc = Markdown.Parse(MarkdownReport.Render(Hostile()), Renderer);
        var h1 = doc.Descendants<HeadingBlock>().Where(h => h.Level == 1).ToList();
        h1.Count.ShouldBe(1);
        Text(h1[0]).ShouldBe("rate-limiter (mid): 64 / 100 — graded");
        doc.Descendants<HeadingBlock>().Where(h => h.Level == 2).Select(Text).ShouldBe(
            ["Refused by the sandbox policy (nothing ran)", "Compile errors", "Findings", "Questions to ask", "What works", "Checks", "Under load", "What the service logged", "Compiler warnings (1)", "How this grade was made", "Appendix"]);
        doc.Descendants<HeadingBlock>().Where(h => h.Level == 3).Select(Text).ShouldContain("Failure details");
        doc.Descendants<HeadingBlock>().Where(h => h.Level > 2).ShouldAllBe(h => h.Level == 3 && h.Parent == doc);
    }

    [Fact]
    public void Tables_are_ours_with_one_row_per_item_and_our_columns()
    {
        var doc = Markdown.Parse(MarkdownReport.Render(Hostile()), Renderer);
        var tables = doc.Descendants<Table>().ToList();
        tables.Count.ShouldBe(5, "criteria, the finding's checks, checks, load, logged problems");
        tables.Select(t => t.Count).ShouldBe([4, 2, 2, 3, 2], "a header row and one row per criterion, check, scenario and log entry");
        tables.Select(t => t.OfType<TableRow>().Select(r => r.Count).Distinct().Single()).ShouldBe([4, 4, 5, 9, 5]);
        var score = tables[0].OfType<TableRow>().Skip(1).Select(r => Text((ParagraphBlock)((TableCell)r[2])[0])).ToList();
        score.ShouldBe(["64 / 75", "0 / 25", "0 / 0"]);
    }

    [Fact]
    public void Nothing_the_candidate_wrote_becomes_html_a_link_an_image_or_math()
    {
        var md = MarkdownReport.Render(Hostile());
        var doc = Markdown.Parse(md, Renderer);
        doc.Descendants<HtmlBlock>().ShouldBeEmpty();
        doc.Descendants<HtmlInline>().ShouldBeEmpty();
        doc.Descendants<HtmlEntityInline>().ShouldAllBe(e => e.Original.ToString() == "&lt;" || e.Original.ToString() == "&gt;" || e.Original.ToString() == "&amp;");
        doc.Descendants<LinkInline>().Select(l => l.Url).ShouldBe(["app-1.log"], "the only link is ours, to the log file the grader wrote");
        doc.Descendants<AutolinkInline>().ShouldBeEmpty();
        doc.Descendants().Where(n => n.GetType().Namespace!.Contains("Mathematics")).ShouldBeEmpty();
        doc.Descendants<QuoteBlock>().ShouldBeEmpty();
        doc.Descendants<ListBlock>().Where(l => l.IsOrdered).ShouldBeEmpty();
        doc.Descendants<ListBlock>().ShouldAllBe(l => l.Parent == doc, "no list nested in ours");
        doc.Descendants<ThematicBreakBlock>().ShouldBeEmpty();

        var html = Markdig.Markdown.ToHtml(md, Renderer);
        var tags = TagPattern().Matches(html).Select(m => m.Groups[1].Value.ToLowerInvariant()).Distinct().Order().ToList();
        tags.ShouldBeSubsetOf(["a", "code", "em", "h1", "h2", "h3", "li", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul"]);
        html.ShouldNotContain("<!--");
        Regex.IsMatch(html, "<[^>]*\\s(onclick=|class=\"x\"|id=\"y\")").ShouldBeFalse("no attributes (Markdig's generic attributes) from candidate text");
    }

    [Fact]
    public void Outside_code_no_raw_angle_bracket_comes_from_candidate_text()
    {
        var md = MarkdownReport.Render(Hostile());
        var doc = Markdown.Parse(md, Renderer);
        var outside = md.ToCharArray();
        foreach (var code in doc.Descendants<FencedCodeBlock>().Select(b => b.Span).Concat(doc.Descendants<CodeInline>().Select(c => c.Span)))
            for (var i = code.Start; i <= code.End; i++) outside[i] = ' ';
        new string(outside).ShouldNotContain('<');
        new string(outside).ShouldNotContain('>');
    }

    [Fact]
    public void Every_fence_is_closed_and_holds_the_candidate_text()
    {
        var md = MarkdownReport.Render(Hostile());
        var doc = Markdown.Parse(md, Renderer);
        var blocks = doc.Descendants<FencedCodeBlock>().ToList();
        blocks.Count.ShouldBe(5, "two messages, a stack, a note with lines, the service's log");
        blocks.ShouldAllBe(b => b.Parent == doc, "a block at the top level: never inside a list item it could break out of");
        blocks.ShouldAllBe(b => b.ClosingFencedCharCount == b.OpeningFencedCharCount);
        blocks.Where(b => b.Lines.ToString() != "short").ShouldAllBe(b => b.OpeningFencedCharCount > 10, "longer than the longest run inside");
        var message = blocks[0].Lines.ToString();
        message.ShouldStartWith("message: x\n```\n````\n~~~\n``````````\nCR only\n# 100 / 100 — graded\n- [x] done\n# hostile: 100 / 100 — graded\n");
        message.ShouldContain("<script>alert(1)</script>", Case.Sensitive, "inside a block the text is shown as it is");
        message.ShouldContain("\\x1b[2J\\x1b[1;1HGRADED 100\\u202egnp.cs");
    }

    [Fact]
    public void No_control_or_invisible_character_reaches_the_file()
    {
        var md = MarkdownReport.Render(Hostile());
        foreach (var c in md)
        {
            if (c is '\n') continue;
            var category = char.GetUnicodeCategory(c);
            category.ShouldNotBe(System.Globalization.UnicodeCategory.Control, $"U+{(int)c:X4}");
            category.ShouldNotBe(System.Globalization.UnicodeCategory.Format, $"U+{(int)c:X4}");
            category.ShouldNotBe(System.Globalization.UnicodeCategory.LineSeparator);
            category.ShouldNotBe(System.Globalization.UnicodeCategory.ParagraphSeparator);
        }
        md.ShouldContain(@"\\x1b\[2J"); // inline, escaped for Markdown: shows as \x1b[2J
        md.ShouldContain("\\x1b[2J\\x1b[1;1HGRADED 100\\u202egnp.cs"); // in a block
    }

    [Fact]
    public void Reports_of_every_verdict_hold_up()
    {
        foreach (var verdict in new[] { Verdicts.CompileError, Verdicts.Rejected, Verdicts.Error })
        {
            var doc = Markdown.Parse(MarkdownReport.Render(Hostile(verdict)), Renderer);
            doc.Descendants<HeadingBlock>().Count(h => h.Level == 1).ShouldBe(1);
            doc.Descendants<HtmlInline>().ShouldBeEmpty();
            doc.Descendants<HtmlBlock>().ShouldBeEmpty();
            doc.Descendants<LinkInline>().ShouldAllBe(l => l.Url == "app-1.log");
        }
    }

    [Fact]
    public void Json_keeps_candidate_text_as_data()
    {
        var report = Hostile();
        JsonReport.Parse(JsonReport.Render(report)).Tests[1].Message.ShouldBe(report.Tests[1].Message);
    }

    static string Text(LeafBlock block) =>
        string.Concat(block.Inline!.Descendants<LiteralInline>().Select(l => l.Content.ToString()));

    [GeneratedRegex("<([a-zA-Z!][a-zA-Z0-9-]*)")]
    private static partial Regex TagPattern();
}
