using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace CodeLab.Reports;

/// <summary>
/// Builds report.html the way <see cref="MarkdownWriter"/> builds report.md: a piece of HTML is an interpolated
/// string whose literal parts are ours and whose every string hole is encoded by <see cref="CandidateText.HtmlInline"/>;
/// markup that is not a literal comes only as an <see cref="Html"/> fragment, which cannot be made from a string.
/// </summary>
internal sealed class HtmlWriter
{
    readonly StringBuilder html = new();

    public void Add(Html.Text text) => html.Append(text.ToHtml().Value);

    public void Add(Html fragment) => html.Append(fragment.Value);

    /// <summary>Candidate text that keeps its lines, in a &lt;pre&gt;.</summary>
    public void Block(string? candidateText) => html.Append("<pre>").Append(CandidateText.HtmlBlock(candidateText)).Append("</pre>\n");

    public override string ToString() => html.ToString();
}

/// <summary>A piece of HTML we vouch for: our literals, numbers, and candidate text already encoded.</summary>
internal readonly struct Html
{
    Html(string value) => Value = value;

    public string Value { get; }

    public static Html Of(Text text) => text.ToHtml();

    public static Html Join(IEnumerable<Html> parts) => new(string.Concat(parts.Select(p => p.Value)));

    [InterpolatedStringHandler]
    public ref struct Text
    {
        readonly StringBuilder text;

        public Text(int literalLength, int formattedCount) => text = new StringBuilder(literalLength + formattedCount * 16);

        public readonly void AppendLiteral(string literal) => text.Append(literal);

        public readonly void AppendFormatted(string? candidateText) => text.Append(CandidateText.HtmlInline(candidateText));

        public readonly void AppendFormatted(Html html) => text.Append(html.Value);

        public readonly void AppendFormatted(int value) => text.Append(value.ToString(CultureInfo.InvariantCulture));

        public readonly void AppendFormatted(long value) => text.Append(value.ToString(CultureInfo.InvariantCulture));

        public readonly void AppendFormatted(double value, string format) => text.Append(value.ToString(format, CultureInfo.InvariantCulture));

        public readonly Html ToHtml() => new(text.ToString());
    }
}
