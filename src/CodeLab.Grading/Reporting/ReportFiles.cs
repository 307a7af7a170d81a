using CodeLab.Reports;

namespace CodeLab.Grading;

/// <summary>
/// Writes report.json, report.md and/or report.html into a folder, and beside them each service replica's whole log
/// (app-1.log ...), which the reports link to.
/// </summary>
public static class ReportFiles
{
    public static readonly IReadOnlyList<string> Formats = ["json", "md", "html"];

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
                "html" => ("report.html", HtmlReport.Render(report)),
                _ => throw new BadInputException($"Unknown report format '{format}': use one or more of json, md, html separated by commas."),
            };
            var path = Path.Combine(folder, name);
            await File.WriteAllTextAsync(path, text, cancellationToken);
            written.Add(path);
        }
        foreach (var log in report.ServiceLogs)
        {
            // The name is ours (app-N.log), never the candidate's; the text is theirs and stays a plain file.
            var path = Path.Combine(folder, Path.GetFileName(log.File));
            await File.WriteAllTextAsync(path, log.Text, cancellationToken);
            written.Add(path);
        }
        return written;
    }
}
