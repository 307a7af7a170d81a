using System.Text.RegularExpressions;
using CodeLab.Protocol;

namespace CodeLab.Grading;

/// <summary>
/// What a reviewer is shown of a test's failure: the assertion message without the frameworks' boilerplate, and only
/// the stack frames in the candidate's own files (never the hidden tests' code).
/// </summary>
public static partial class ResultMessages
{
    const int MaxMessageChars = 2000;

    public static string? Clean(RunnerEvent e)
    {
        if (e.Message is null) return null;
        var message = ShouldlyPreamble().Replace(e.Message.Replace("\r\n", "\n"), "").Trim();
        if (e.ExceptionType is { } type && !type.StartsWith("Shouldly.", StringComparison.Ordinal) && !type.StartsWith("Xunit.", StringComparison.Ordinal))
            message = $"{type}: {message}";
        return message.Length > MaxMessageChars ? message[..MaxMessageChars] + " ..." : message;
    }

    public static string? CandidateFrames(string? stack, IReadOnlyCollection<string> candidateFiles)
    {
        if (string.IsNullOrEmpty(stack)) return null;
        var frames = stack.Split('\n')
            .Select(l => l.Trim())
            .Where(l => StackFrame().Match(l) is { Success: true } m && candidateFiles.Contains(m.Groups["file"].Value))
            .Take(8)
            .ToList();
        return frames.Count == 0 ? null : string.Join("\n", frames);
    }

    [GeneratedRegex(@"^Shouldly uses your source code to generate its great error messages, build your test project with full debug information to get better error messages\s*")]
    private static partial Regex ShouldlyPreamble();

    [GeneratedRegex(@"^at .+ in (?<file>.+):line \d+$")]
    private static partial Regex StackFrame();
}
