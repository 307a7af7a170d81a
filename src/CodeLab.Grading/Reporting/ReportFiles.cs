using CodeLab.Reports;

namespace CodeLab.Grading;

/// <summary>Writes report.json and/or report.md into a folder.</summary>
public static class ReportFiles
{
    public static readonly IReadOnlyList<string> Formats = ["json", "md"];

    public static async Task<IReadOnlyList<string>> WriteAsync(GradeReport report, string folder, IEnumerable<string> formats, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        foreach (var format in formats)
        {
            var (name, text) = format switch
            {
                "json" => ("report.json", JsonReport.Render(report)),
                "md" => ("report.md", MarkdownReport.Render(report)),
                _ => throw new BadInputException($"Unknown report format '{format}': use json, md or json,md."),
            };
            var path = Path.Combine(folder, name);
            await File.WriteAllTextAsync(path, text, cancellationToken);
            written.Add(path);
        }
        return written;
    }
}
