using System.Text.Json;
using CodeLab.Protocol;

namespace CodeLab.Grading;

/// <summary>
/// Reads the runner's private channel out of the container's stdout: only lines carrying this run's secret
/// count. Anything else (runtime messages, or candidate code that got hold of the raw stream) is counted and ignored.
/// </summary>
public sealed class RunnerEventReader(string secret)
{
    readonly string prefix = RunnerChannel.Prefix + secret + " ";

    public int ForeignLines { get; private set; }

    public RunnerEvent? Parse(string line)
    {
        if (!line.StartsWith(prefix, StringComparison.Ordinal))
        {
            if (line.Length > 0) ForeignLines++;
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<RunnerEvent>(line.AsSpan(prefix.Length));
        }
        catch (JsonException)
        {
            ForeignLines++;
            return null;
        }
    }
}
