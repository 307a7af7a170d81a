namespace CodeLab.Cli.Output;

/// <summary>A plain aligned text table.</summary>
internal sealed class TextTable(params string[] headers)
{
    readonly List<string[]> rows = [];

    public void Add(params string[] cells) => rows.Add(cells);

    public static string FormatRow(IReadOnlyList<string> cells, IReadOnlyList<int> widths) =>
        string.Join("  ", cells.Select((c, i) => i == cells.Count - 1 ? c : c.PadRight(widths[i]))).TrimEnd();

    public override string ToString()
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        var lines = new List<string> { FormatRow(headers, widths), FormatRow(widths.Select(w => new string('-', w)).ToArray(), widths) };
        lines.AddRange(rows.Select(r => FormatRow(r, widths)));
        return string.Join(Environment.NewLine, lines);
    }
}
