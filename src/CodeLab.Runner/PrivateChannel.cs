using System.Text;
using System.Text.Json;
using CodeLab.Protocol;

namespace CodeLab.Runner;

/// <summary>Writes runner events to the real stdout, each line tagged with the per-run secret.</summary>
internal sealed class PrivateChannel(Stream stdout, string secret) : IDisposable
{
    static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
    readonly StreamWriter writer = new(stdout, new UTF8Encoding(false)) { AutoFlush = false, NewLine = "\n" };
    readonly string prefix = RunnerChannel.Prefix + secret + " ";
    readonly Lock gate = new();

    public void Write(RunnerEvent e)
    {
        var line = prefix + JsonSerializer.Serialize(e, Json);
        lock (gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    public void Dispose()
    {
        lock (gate) writer.Flush();
    }
}
