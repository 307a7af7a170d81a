using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace CodeLab.Reports;

/// <summary>
/// Builds report.md so that candidate text cannot be forgotten: a line is an interpolated string whose literal
/// parts are ours and whose every string hole is escaped by <see cref="CandidateText.MarkdownInline"/>. Markup
/// that is not a literal comes only as a <see cref="Markdown"/> fragment, which cannot be made from a string
/// (its constructor is private): only from <see cref="CandidateText"/> or from another such line. A plain string cannot be passed as a line at all.
/// </summary>
internal sealed class MarkdownWriter
{
    readonly StringBuilder md = new();

    public void Line(Markdown.Line line) => md.Append(line.ToMarkdown().Text).Append('\n');

    public void Blank() => md.Append('\n');

    /// <summary>Candidate text that keeps its lines (a failure message, stack frames, a log): a fenced block.</summary>
    public void Block(string? candidateText) => md.Append(CandidateText.MarkdownBlock(candidateText));

    public override string ToString() => md.ToString();
}

/// <summary>A piece of Markdown we vouch for: our literals, numbers, and candidate text already escaped.</summary>
internal readonly struct Markdown
{
    Markdown(string text) => Text = text;

    public string Text { get; }

    /// <summary>A line or part of one; string holes are escaped.</summary>
    public static Markdown Of(Line line) => line.ToMarkdown();

    /// <summary>Candidate text as an inline code span (a file and line).</summary>
    public static Markdown Code(string? candidateText) => new(CandidateText.MarkdownCode(candidateText));

    /// <summary>A link to a log file beside the report: only a name the grader made (app-N.log) becomes a link.</summary>
    public static Markdown LogLink(string file) => ReportText.IsOurLogFile(file) ? new($"[{file}]({file})") : Code(file);

    public static Markdown Join(Line separator, IEnumerable<Markdown> parts) =>
        new(string.Join(separator.ToMarkdown().Text, parts.Select(p => p.Text)));

    /// <summary>The interpolated-string handler behind <see cref="MarkdownWriter.Line"/> and <see cref="Markdown.Of"/>.</summary>
    [InterpolatedStringHandler]
    public ref struct Line
    {
        readonly StringBuilder text;

        public Line(int literalLength, int formattedCount) => text = new StringBuilder(literalLength + formattedCount * 16);

        /// <summary>The literal parts of the interpolated string: written in our source, so ours.</summary>
        public readonly void AppendLiteral(string literal) => text.Append(literal);

        public readonly void AppendFormatted(string? candidateText) => text.Append(CandidateText.MarkdownInline(candidateText));

        public readonly void AppendFormatted(Markdown markdown) => text.Append(markdown.Text);

        public readonly void AppendFormatted(int value) => text.Append(value.ToString(CultureInfo.InvariantCulture));

        public readonly void AppendFormatted(long value) => text.Append(value.ToString(CultureInfo.InvariantCulture));

        public readonly void AppendFormatted(double value, string format) => text.Append(value.ToString(format, CultureInfo.InvariantCulture));

        public readonly Markdown ToMarkdown() => new(text.ToString());
    }
}
