using System.Globalization;
using System.Text;

namespace CodeLab.Reports;

/// <summary>
/// The one rule for showing text the candidate controls: file names, compiler and test messages, stack frames,
/// console output, service logs, values their code produced. Such text is data: wherever it is rendered it must
/// not be able to pass for our own words (a second heading "100 / 100", a score table, a link, HTML), nor drive a
/// terminal (escape sequences), nor hide or reorder what a reviewer reads (bidi overrides, zero-width characters).
/// Every writer (Markdown now, HTML later, the CLI's lines) goes through here; report.json keeps the raw text as data.
/// </summary>
public static class CandidateText
{
    /// <summary>
    /// One line for a terminal or a log: every character that is not plainly visible, line breaks included,
    /// written as an escape (<c>\x1b</c>, <c>\n</c>, <c>\u202e</c>). Backslashes are left alone: the aim is that
    /// nothing acts on the terminal, not a reversible encoding.
    /// </summary>
    public static string Visible(string? text) => Clean(text, keepLayout: false);

    /// <summary>
    /// A name or message taken as raw bytes (a file name on Linux need not be UTF-8): valid UTF-8 is shown as
    /// <see cref="Visible(string?)"/> shows it, each byte that is not part of valid UTF-8 as <c>\xff</c>.
    /// </summary>
    public static string Visible(ReadOnlySpan<byte> utf8)
    {
        var visible = new StringBuilder(utf8.Length);
        while (!utf8.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(utf8, out var rune, out var consumed) == System.Buffers.OperationStatus.Done)
                AppendVisible(visible, rune, keepLayout: false);
            else
                foreach (var b in utf8[..consumed]) visible.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}");
            utf8 = utf8[consumed..];
        }
        return visible.ToString();
    }

    /// <summary>True when the text shows as itself: no control, format, separator or unpaired surrogate characters.</summary>
    public static bool IsPlain(string text) => Visible(text) == text;

    /// <summary>
    /// For use inside a line of Markdown (a list item, a table cell, a paragraph): one line, invisible characters
    /// made visible, and every character Markdown (CommonMark, GitHub's and Markdig's extensions) would act on escaped,
    /// so the text renders as exactly these characters: no emphasis, code, link, image, HTML, table cell, math,
    /// attribute or heading. (A bare e-mail address may still be shown as a mailto link by GitHub.)
    /// </summary>
    public static string MarkdownInline(string? text)
    {
        var line = Clean(text, keepLayout: false, lineBreak: " ").Trim();
        var md = new StringBuilder(line.Length + 16);
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            switch (c)
            {
                case '<': md.Append("&lt;"); break;
                case '>': md.Append("&gt;"); break;
                case '&': md.Append("&amp;"); break;
                // "{...}" is an attribute list for Markdig's generic attributes ({onclick=...} on a heading).
                case '\\' or '`' or '*' or '_' or '[' or ']' or '|' or '~' or '$' or '!' or '{' or '}':
                    md.Append('\\').Append(c);
                    break;
                // Only at the start of a line, or of a list item's text, do these open a block (heading, list,
                // thematic break, setext underline): the text's first character is taken to be there.
                // Elsewhere they stay as they are so "C#" and "non-null" read normally.
                case '#' or '-' or '+' or '=' when i == 0:
                    md.Append('\\').Append(c);
                    break;
                // Bare addresses are made links by GitHub and Markdig ("http://", "mailto:", "www."): an escape breaks the pattern.
                case ':' when i > 0 && char.IsAsciiLetter(line[i - 1]) && i + 1 < line.Length && !char.IsWhiteSpace(line[i + 1]):
                    md.Append("\\:");
                    break;
                case '.' when i >= 3 && line.AsSpan(i - 3, 3).Equals("www", StringComparison.OrdinalIgnoreCase) && (i == 3 || !char.IsAsciiLetterOrDigit(line[i - 4])):
                    md.Append("\\.");
                    break;
                // "1. x" or "1) x" at the start would open an ordered list ("0.1.0" would not).
                case '.' or ')' when i is > 0 and <= 9 && line[..i].All(char.IsAsciiDigit) && (i + 1 == line.Length || line[i + 1] == ' '):
                    md.Append('\\').Append(c);
                    break;
                default:
                    md.Append(c);
                    break;
            }
        }
        return md.ToString();
    }

    /// <summary>
    /// An inline code span (a file and line): one line, invisible characters made visible, fenced by more
    /// backticks than any run inside. Not for table cells (GitHub splits cells on "|" even inside code).
    /// </summary>
    public static string MarkdownCode(string? text)
    {
        var line = Clean(text, keepLayout: false, lineBreak: " ");
        if (line.Length == 0) return "";
        var fence = new string('`', LongestRun(line, '`') + 1);
        // CommonMark strips one space from each side when both are there: pad whenever the edge is a backtick or a space.
        var pad = line[0] is '`' or ' ' || line[^1] is '`' or ' ' ? " " : "";
        return fence + pad + line + pad + fence;
    }

    /// <summary>
    /// A fenced code block, on lines of its own at the start of the line (never inside a list item, where a
    /// less indented line would end the item and the rest would be read as Markdown). The fence is longer than any
    /// run of backticks in the text, so nothing inside can close it; line breaks are normalised to \n (a lone \r
    /// ends a line in Markdown too) and every other invisible character is made visible, tabs excepted.
    /// Ends with a line break.
    /// </summary>
    public static string MarkdownBlock(string? text)
    {
        var body = Clean(text, keepLayout: true).TrimEnd('\n');
        var fence = new string('`', Math.Max(3, LongestRun(body, '`') + 1));
        return $"{fence}text\n{body}{(body.Length > 0 ? "\n" : "")}{fence}\n";
    }

    /// <summary>
    /// For use in HTML text or a quoted attribute: one line, invisible characters made visible, and &amp; &lt; &gt; " '
    /// written as character references, so the text can never become markup or leave its attribute.
    /// </summary>
    public static string HtmlInline(string? text) => HtmlEncode(Clean(text, keepLayout: false, lineBreak: " ").Trim());

    /// <summary>For a &lt;pre&gt; block: lines and tabs kept, every other invisible character made visible, markup characters encoded.</summary>
    public static string HtmlBlock(string? text) => HtmlEncode(Clean(text, keepLayout: true).TrimEnd('\n'));

    static string HtmlEncode(string text)
    {
        var html = new StringBuilder(text.Length + 16);
        foreach (var c in text)
            html.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        return html.ToString();
    }

    /// <summary>Line breaks (\r\n, \r, \n) become <paramref name="lineBreak"/> or, keeping layout, \n; tabs stay only when keeping layout.</summary>
    static string Clean(string? text, bool keepLayout, string? lineBreak = null)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var clean = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\r' or '\n' && (keepLayout || lineBreak is not null))
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                clean.Append(keepLayout ? "\n" : lineBreak);
                continue;
            }
            if (c == '\t' && (keepLayout || lineBreak is not null))
            {
                clean.Append(keepLayout ? '\t' : ' ');
                continue;
            }
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                AppendVisible(clean, new Rune(c, text[i + 1]), keepLayout);
                i++;
                continue;
            }
            if (char.IsSurrogate(c))
            {
                clean.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"); // unpaired: not a character at all
                continue;
            }
            AppendVisible(clean, new Rune(c), keepLayout);
        }
        return clean.ToString();
    }

    static void AppendVisible(StringBuilder to, Rune rune, bool keepLayout)
    {
        var value = rune.Value;
        if (keepLayout && value is '\n' or '\t')
            to.Append((char)value);
        else if (value is '\n') to.Append("\\n");
        else if (value is '\r') to.Append("\\r");
        else if (value is '\t') to.Append("\\t");
        else if (value < 0x20 || value == 0x7F) to.Append(CultureInfo.InvariantCulture, $"\\x{value:x2}");
        else if (IsInvisible(rune)) to.Append(value <= 0xFFFF ? $"\\u{value:x4}" : $"\\U{value:x8}");
        else to.Append(rune.ToString());
    }

    /// <summary>
    /// C1 controls, format characters (bidi embeddings, overrides and isolates U+202A–202E and U+2066–2069,
    /// zero-width space and joiners, byte order marks, Unicode tags) and the line and paragraph separators.
    /// </summary>
    static bool IsInvisible(Rune rune) => Rune.GetUnicodeCategory(rune) is
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    static int LongestRun(string text, char c)
    {
        int longest = 0, run = 0;
        foreach (var ch in text)
        {
            run = ch == c ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        return longest;
    }
}
