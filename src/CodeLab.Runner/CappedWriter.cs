using System.Text;

namespace CodeLab.Runner;

/// <summary>
/// Where Console output of candidate and test code goes: kept up to a cap, the rest counted and dropped,
/// so an output flood costs memory of the cap only and never reaches the private channel.
/// </summary>
internal sealed class CappedWriter : TextWriter
{
    readonly Lock gate = new();
    readonly StringBuilder buffer = new();
    long dropped;

    public int Cap { get; set; } = 4096;

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (gate)
        {
            if (buffer.Length < Cap) buffer.Append(value);
            else dropped++;
        }
    }

    public override void Write(string? value)
    {
        if (value is null) return;
        lock (gate)
        {
            var room = Math.Max(0, Cap - buffer.Length);
            if (value.Length <= room) buffer.Append(value);
            else
            {
                buffer.Append(value, 0, room);
                dropped += value.Length - room;
            }
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    /// <summary>Returns what was captured since the last call (with a note of what was dropped) and starts afresh.</summary>
    public string TakeAndReset()
    {
        lock (gate)
        {
            var text = buffer.ToString();
            if (dropped > 0) text += $"\n[... {dropped} more characters of output dropped]";
            buffer.Clear();
            dropped = 0;
            return text;
        }
    }
}
