using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using CodeLab.Protocol;

namespace CodeLab.Runner;

/// <summary>
/// Judge runs only: commands from the hidden tests to the grader ("restart-service 1") go out as "control" events on
/// the private channel; the grader's answers come back on stdin as "ack n ok" or "ack n error message".
/// Stdin carries nothing else after the work archive, and only the grader writes it.
/// </summary>
internal sealed class ControlChannel
{
    static readonly TimeSpan AnswerLimit = TimeSpan.FromSeconds(90);
    readonly PrivateChannel channel;
    readonly ConcurrentDictionary<int, TaskCompletionSource<string?>> pending = new();
    int next;

    ControlChannel(PrivateChannel channel) => this.channel = channel;

    public static ControlChannel Start(PrivateChannel channel, Stream stdin)
    {
        var control = new ControlChannel(channel);
        var reader = new Thread(() => control.ReadAnswers(stdin)) { IsBackground = true, Name = "codelab-control" };
        reader.Start();
        return control;
    }

    public Task SendAsync(string command, CancellationToken cancellationToken) => SendAsync(command, AnswerLimit, cancellationToken);

    /// <summary>Sends a command whose answer may take longer than the usual limit (waiting for the machine's load slot).</summary>
    public async Task SendAsync(string command, TimeSpan answerLimit, CancellationToken cancellationToken)
    {
        var number = Interlocked.Increment(ref next);
        var answer = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[number] = answer;
        channel.Write(new RunnerEvent { Event = RunnerEvents.Control, Count = number, Message = command });
        string? error;
        try
        {
            error = await answer.Task.WaitAsync(answerLimit, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The grader did not carry out '{command}' within {answerLimit.TotalSeconds:0} s.");
        }
        finally
        {
            pending.TryRemove(number, out _);
        }
        if (error is not null) throw new InvalidOperationException($"The grader could not carry out '{command}': {error}");
    }

    void ReadAnswers(Stream stdin)
    {
        using var reader = new StreamReader(stdin, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 256, leaveOpen: true);
        while (reader.ReadLine() is { } read)
        {
            // "ack <n> ok" | "ack <n> error <message>". The tar reader stops after the first of the archive's two
            // closing zero blocks, so the other 512 zero bytes arrive in front of the first answer.
            var parts = read.Trim('\0', ' ', '\r').Split(' ', 4);
            if (parts.Length < 3 || parts[0] != "ack" || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var number)) continue;
            if (pending.TryGetValue(number, out var answer))
                answer.TrySetResult(parts[2] == "ok" ? null : parts.Length > 3 ? parts[3] : "failed");
        }
        foreach (var answer in pending.Values) answer.TrySetResult("the grader closed the control channel");
    }
}
