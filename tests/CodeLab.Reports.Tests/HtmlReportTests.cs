using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace CodeLab.Reports.Tests;

/// <summary>
/// report.html parsed as a browser parses it (AngleSharp, HTML5): the hostile report must build only our elements
/// and attributes, run nothing, load nothing, and show the candidate's text as text.
/// </summary>
public sealed class HtmlReportTests
{
    static readonly HtmlParser Parser = new();

    static readonly string[] OurElements =
        ["html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "strong", "br", "span", "table", "tbody", "tr", "th", "td",
         "ul", "li", "code", "pre", "div", "a", "svg", "rect", "text", "line", "polyline"];

    static IDocument Parse(GradeReport report) => Parser.ParseDocument(HtmlReport.Render(report));

    [Fact]
    public void The_hostile_report_builds_only_our_elements_and_attributes()
    {
        var doc = Parse(HostileReportTests.Hostile());
        doc.All.Select(e => e.LocalName).Distinct().ShouldBeSubsetOf(OurElements);
        doc.QuerySelectorAll("script, img, iframe, object, embed, link, form, input, button, base").ShouldBeEmpty();
        doc.All.SelectMany(e => e.Attributes).Select(a => a.Name).Distinct()
            .ShouldBeSubsetOf(["lang", "charset", "http-equiv", "content", "class", "style", "href", "viewBox", "width", "height", "role", "xmlns", "x", "y", "x1", "x2", "y1", "y2", "fill", "stroke", "stroke-width", "stroke-dasharray", "points", "text-anchor", "font-size"]);
        doc.All.SelectMany(e => e.Attributes).ShouldAllBe(a => !a.Name.StartsWith("on"));
    }

    [Fact]
    public void Severity_colours_fill_the_badge_only_so_a_finding_card_keeps_readable_text_and_code()
    {
        // A finding's card carries its severity as a class for its border; a bare .blocker rule once painted the whole
        // card red with white text, and its code lines and failed figures (light background, red text) vanished.
        var doc = Parse(HostileReportTests.Hostile());
        var style = doc.QuerySelector("style")!.TextContent;
        foreach (var severity in (string[])["blocker", "major", "minor"])
        {
            style.ShouldNotContain($"}}.{severity}{{");
            style.ShouldContain($".sev.{severity}{{");
        }
        doc.QuerySelectorAll("div.finding").ShouldNotBeEmpty();
    }

    [Fact]
    public void Nothing_runs_or_loads_and_the_only_link_is_our_log_file()
    {
        var doc = Parse(HostileReportTests.Hostile());
        doc.QuerySelector("meta[http-equiv='Content-Security-Policy']")!.GetAttribute("content").ShouldBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
        doc.QuerySelectorAll("a").Select(a => a.GetAttribute("href")).ShouldBe(["app-1.log"]);
        doc.QuerySelectorAll("[style]").Select(e => e.GetAttribute("style")!)
            .ShouldAllBe(s => System.Text.RegularExpressions.Regex.IsMatch(s, @"^(display:block;width:[0-9.]+%|color:#[0-9a-f]{3,6})$"));
    }

    [Fact]
    public void Candidate_text_shows_as_text_with_invisible_characters_made_visible()
    {
        var doc = Parse(HostileReportTests.Hostile());
        var body = doc.Body!.TextContent;
        body.ShouldContain("<script>alert(1)</script>", Case.Sensitive, "shown as characters");
        body.ShouldContain("<img src=x onerror=alert(1)>");
        body.ShouldContain(@"\x1b[2J\x1b[1;1HGRADED 100\u202egnp.cs");
        body.ShouldContain("db.StringSet(k, v, null) // ``` </code><script>");
        foreach (var c in HtmlReport.Render(HostileReportTests.Hostile()))
        {
            if (c is '\n') continue;
            char.GetUnicodeCategory(c).ShouldNotBe(System.Globalization.UnicodeCategory.Control, $"U+{(int)c:X4}");
            char.GetUnicodeCategory(c).ShouldNotBe(System.Globalization.UnicodeCategory.Format, $"U+{(int)c:X4}");
        }
    }

    [Fact]
    public void Headings_are_ours_and_the_title_carries_our_score()
    {
        var doc = Parse(HostileReportTests.Hostile());
        doc.QuerySelectorAll("h1").Select(h => h.TextContent).ShouldBe(["rate-limiter (mid): 64 / 100 — graded"]);
        doc.Title.ShouldBe("rate-limiter (mid): 64 / 100");
        doc.QuerySelectorAll("h2").Select(h => h.TextContent).ShouldBe(
            ["Refused by the sandbox policy (nothing ran)", "Compile errors", "Findings", "Questions to ask", "What works", "Checks", "Under load", "What the service logged", "Compiler warnings (1)", "How this grade was made", "Appendix"]);
    }

    [Fact]
    public void Each_criterion_has_a_bar_and_each_load_scenario_a_chart_with_its_latency_threshold_drawn()
    {
        var doc = Parse(HostileReportTests.Hostile());
        doc.QuerySelectorAll("span.bar").Length.ShouldBe(3);
        doc.QuerySelectorAll("span.fill")[0].GetAttribute("style").ShouldBe("display:block;width:85.3%");
        var charts = doc.QuerySelectorAll("svg.chart");
        charts.Length.ShouldBe(1, "one scenario has a per-second series; the one that could not run has none");
        charts[0].QuerySelectorAll("polyline").Length.ShouldBe(3);
        charts[0].QuerySelectorAll("line[stroke-dasharray]").Length.ShouldBe(1, "the P99 threshold; the hostile expression is no latency bound");
        charts[0].TextContent.ShouldContain("threshold: P99 < 250 ms");
    }

    [Fact]
    public void Reports_of_every_verdict_hold_up()
    {
        foreach (var verdict in new[] { Verdicts.CompileError, Verdicts.Rejected, Verdicts.Error })
        {
            var doc = Parse(HostileReportTests.Hostile(verdict));
            doc.QuerySelectorAll("h1").Length.ShouldBe(1);
            doc.QuerySelectorAll("script, img, iframe").ShouldBeEmpty();
            doc.All.Select(e => e.LocalName).Distinct().ShouldBeSubsetOf(OurElements);
        }
    }
}
