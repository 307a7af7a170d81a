namespace CodeLab.Reports.Tests;

/// <summary>The one escaping rule for candidate text, character by character.</summary>
public sealed class CandidateTextTests
{
    [Theory]
    [InlineData("\u001b[2J\u001b[1;1HGRADED 100.cs", @"\x1b[2J\x1b[1;1HGRADED 100.cs")]
    [InlineData("a\nb\r\tc", @"a\nb\r\tc")]
    [InlineData("\0\u0007\u007f", @"\x00\x07\x7f")]
    [InlineData("\u0085\u009b", @"\u0085\u009b")]
    [InlineData("abc\u202edcba\u2066x\u2069\u200b\u200d\ufeff", @"abc\u202edcba\u2066x\u2069\u200b\u200d\ufeff")]
    [InlineData("\u2028\u2029", @"\u2028\u2029")]
    [InlineData("Élan.cs — ok ✓ 🙂", "Élan.cs — ok ✓ 🙂")]
    public void Visible_shows_every_invisible_character_as_an_escape(string text, string visible) =>
        CandidateText.Visible(text).ShouldBe(visible);

    [Fact]
    public void Visible_shows_unicode_tags_and_unpaired_surrogates()
    {
        CandidateText.Visible("x\U000E0041").ShouldBe(@"x\U000e0041");
        CandidateText.Visible("x\ud800y").ShouldBe(@"x\ud800y");
    }

    [Fact]
    public void Visible_bytes_show_invalid_utf8_byte_by_byte()
    {
        CandidateText.Visible([0xFF, (byte)'.', (byte)'c', (byte)'s']).ShouldBe(@"\xff.cs");
        CandidateText.Visible([0xC3, 0xA9, 0xC3, (byte)'x', 0x1B]).ShouldBe(@"é\xc3x\x1b");
        CandidateText.Visible([0xED, 0xA0, 0x80]).ShouldBe(@"\xed\xa0\x80"); // an encoded surrogate is not UTF-8
    }

    [Fact]
    public void Plain_text_is_text_that_shows_as_itself()
    {
        CandidateText.IsPlain("src/Élan Limiter.cs").ShouldBeTrue();
        CandidateText.IsPlain("src/\u202egnp.cs").ShouldBeFalse();
        CandidateText.IsPlain("A\tB.cs").ShouldBeFalse();
    }

    [Theory]
    [InlineData("# 100 / 100", @"\# 100 / 100")]
    [InlineData("- item", @"\- item")]
    [InlineData("12. item", @"12\. item")]
    [InlineData("=====", @"\=====")]
    [InlineData("C# is fine, non-null too", "C# is fine, non-null too")]
    [InlineData("[link](http://x)", @"\[link\](http\://x)")]
    [InlineData("![img](x)", @"\!\[img\](x)")]
    [InlineData("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;")]
    [InlineData("&lt;script&gt;", "&amp;lt;script&amp;gt;")]
    [InlineData("<!--", "&lt;\\!--")]
    [InlineData("a | b", @"a \| b")]
    [InlineData("Title {onclick=alert(1)}", @"Title \{onclick=alert(1)\}")]
    [InlineData("*b* _i_ ~s~ `c` $x$", @"\*b\* \_i\_ \~s\~ \`c\` \$x\$")]
    [InlineData(@"trailing \", @"trailing \\")]
    [InlineData("line\r# two\nthree", "line # two three")] // one line: a "#" inside it opens nothing
    [InlineData("visit www.evil.example or mailto:x@y", @"visit www\.evil.example or mailto\:x@y")]
    [InlineData("CS1002: ; expected", "CS1002: ; expected")]
    [InlineData("\u001b[2J", @"\\x1b\[2J")]
    public void Inline_markdown_renders_as_exactly_its_characters(string text, string markdown) =>
        CandidateText.MarkdownInline(text).ShouldBe(markdown);

    [Theory]
    [InlineData("src/A.cs:3", "`src/A.cs:3`")]
    [InlineData("a`b", "``a`b``")]
    [InlineData("`a", "`` `a ``")]
    [InlineData("a\nb", "`a b`")]
    public void A_code_span_is_fenced_by_more_backticks_than_it_holds(string text, string markdown) =>
        CandidateText.MarkdownCode(text).ShouldBe(markdown);

    [Theory]
    [InlineData("plain", 3)]
    [InlineData("```\nclosed?\n```", 4)]
    [InlineData("a ````````` b", 10)]
    public void A_block_fence_is_longer_than_any_backtick_run_inside(string text, int fence)
    {
        var block = CandidateText.MarkdownBlock(text);
        var lines = block.Split('\n');
        lines[0].ShouldBe(new string('`', fence) + "text");
        lines[^2].ShouldBe(new string('`', fence));
        lines[^1].ShouldBe("");
    }

    [Fact]
    public void A_block_keeps_lines_and_tabs_but_no_other_control_character()
    {
        CandidateText.MarkdownBlock("one\rtwo\r\nthree\n\tfour\u001b[2J\u202e").ShouldBe("```text\none\ntwo\nthree\n\tfour\\x1b[2J\\u202e\n```\n");
    }
}
