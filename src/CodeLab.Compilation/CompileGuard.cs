using System.Diagnostics;
using Microsoft.CodeAnalysis;

namespace CodeLab.Compilation;

/// <summary>Why a guarded compilation was stopped: a sentence for the candidate.</summary>
public sealed class CompileStoppedException(string reason, Exception? inner = null) : Exception(reason, inner);

/// <summary>
/// Runs work on candidate source so that no submission can take the grader down: on a thread of its own with a
/// large, known stack (Roslyn recurses over the syntax tree; its own guards measure the stack that is left), with
/// a wall-clock limit and a memory budget (constant folding can build strings of gigabytes from a few lines), and
/// with every exception turned into a <see cref="CompileStoppedException"/> that says what happened. Syntax deeper
/// than any solution needs is refused before anything binds it.
/// </summary>
public static class CompileGuard
{
    /// <summary>Deeper than any real solution (the shipped ones stay well below 100) and far from the stack's end.</summary>
    public const int MaxSyntaxDepth = 600;
    const int StackBytes = 256 * 1024 * 1024;
    static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    public static T Run<T>(Func<CancellationToken, T> work, TimeSpan timeout, long memoryBudgetBytes, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        T? result = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try { result = work(stop.Token); }
            catch (Exception ex) { failure = ex; }
        }, StackBytes) { IsBackground = true, Name = "codelab-compile" };

        var baseline = GC.GetTotalMemory(forceFullCollection: false);
        var started = Stopwatch.GetTimestamp();
        string? stoppedBecause = null;
        thread.Start();
        while (!thread.Join(20))
        {
            if (stoppedBecause is not null)
            {
                if (Stopwatch.GetElapsedTime(started) > timeout + Grace) break; // abandoned: a background thread, reaped with the process
                continue;
            }
            if (Stopwatch.GetElapsedTime(started) > timeout)
                stoppedBecause = $"Compilation took longer than {timeout.TotalSeconds:0} s and was stopped.";
            else if (GC.GetTotalMemory(forceFullCollection: false) - baseline > memoryBudgetBytes)
                stoppedBecause = $"Compiling this code needed more than {memoryBudgetBytes / (1024 * 1024)} MB of memory and was stopped (very large constants or generated code?).";
            if (stoppedBecause is not null) stop.Cancel();
        }
        if (stoppedBecause is not null)
        {
            result = default;
            GC.Collect();
            throw new CompileStoppedException(stoppedBecause);
        }
        cancellationToken.ThrowIfCancellationRequested();
        return failure switch
        {
            null => result!,
            CompileStoppedException => throw failure,
            OperationCanceledException when cancellationToken.IsCancellationRequested => throw failure,
            InsufficientExecutionStackException => throw new CompileStoppedException("The code is nested too deeply for the compiler; simplify the deepest expression.", failure),
            OutOfMemoryException => throw new CompileStoppedException("Compiling this code ran out of memory (very large constants or generated code?).", failure),
            _ => throw new CompileStoppedException($"The compiler failed on this code ({failure.GetType().Name}: {failure.Message}).", failure),
        };
    }

    /// <summary>Brackets nested deeper than this are refused before parsing (Roslyn's parser slows to minutes on deep parentheses).</summary>
    public const int MaxBracketDepth = 256;

    /// <summary>
    /// Refuses source whose brackets nest deeper than <see cref="MaxBracketDepth"/>, by a linear scan of the text that
    /// skips comments and the inside of string and character literals (interpolation holes included, which can only
    /// make the count lower).
    /// </summary>
    public static void CheckBrackets(string path, string text)
    {
        var depth = 0;
        var line = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\n':
                    line++;
                    break;
                case '/' when i + 1 < text.Length && text[i + 1] == '/':
                    while (i < text.Length && text[i] != '\n') i++;
                    line++;
                    break;
                case '/' when i + 1 < text.Length && text[i + 1] == '*':
                    for (i += 2; i + 1 < text.Length && !(text[i] == '*' && text[i + 1] == '/'); i++) if (text[i] == '\n') line++;
                    i++;
                    break;
                case '"':
                {
                    var quotes = 1;
                    while (i + quotes < text.Length && text[i + quotes] == '"') quotes++;
                    if (quotes >= 3)
                    {
                        // A raw string literal ends at the same number of quotes.
                        var end = text.IndexOf(new string('"', quotes), i + quotes, StringComparison.Ordinal);
                        line += Count(text, i, end < 0 ? text.Length : end, '\n');
                        i = end < 0 ? text.Length : end + quotes - 1;
                        break;
                    }
                    var verbatim = i > 0 && (text[i - 1] == '@' || (i > 1 && text[i - 2] == '@'));
                    for (i++; i < text.Length; i++)
                    {
                        if (text[i] == '\n') line++;
                        if (!verbatim && text[i] == '\\') { i++; continue; }
                        if (text[i] != '"') continue;
                        if (verbatim && i + 1 < text.Length && text[i + 1] == '"') { i++; continue; }
                        break;
                    }
                    break;
                }
                case '\'':
                    for (i++; i < text.Length && text[i] != '\'' && text[i] != '\n'; i++) if (text[i] == '\\') i++;
                    break;
                case '(' or '[' or '{':
                    if (++depth > MaxBracketDepth)
                        throw new CompileStoppedException($"{path}:{line}: brackets are nested more than {MaxBracketDepth} levels deep; no solution needs that, simplify it.");
                    break;
                case ')' or ']' or '}':
                    depth = Math.Max(0, depth - 1);
                    break;
            }
        }
    }

    static int Count(string text, int from, int to, char c)
    {
        var n = 0;
        for (var i = from; i < to; i++) if (text[i] == c) n++;
        return n;
    }

    /// <summary>Refuses a tree deeper than <see cref="MaxSyntaxDepth"/>.</summary>
    public static void CheckDepth(SyntaxTree tree, CancellationToken cancellationToken)
    {
        if (Deepest(tree.GetRoot(cancellationToken), MaxSyntaxDepth) is ({ } node, > MaxSyntaxDepth))
        {
            var line = node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
            throw new CompileStoppedException($"{tree.FilePath}:{line}: the code is nested more than {MaxSyntaxDepth} levels deep; no solution needs that, simplify it.");
        }
    }

    /// <summary>The deepest nesting in a tree (for tests and for choosing <see cref="MaxSyntaxDepth"/>).</summary>
    public static int Depth(SyntaxTree tree) => Deepest(tree.GetRoot(), int.MaxValue).Depth;

    /// <summary>The deepest node, measured without recursion; stops at the first node past <paramref name="limit"/>.</summary>
    static (SyntaxNode? Node, int Depth) Deepest(SyntaxNode root, int limit)
    {
        (SyntaxNode? Node, int Depth) deepest = (null, 0);
        var pending = new Stack<(SyntaxNode Node, int Depth)>();
        pending.Push((root, 1));
        while (pending.Count > 0)
        {
            var (node, depth) = pending.Pop();
            if (depth > deepest.Depth) deepest = (node, depth);
            if (depth > limit) break;
            foreach (var child in node.ChildNodes()) pending.Push((child, depth + 1));
        }
        return deepest;
    }
}
