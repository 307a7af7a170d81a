using CodeLab.Compilation;
using CodeLab.Reports;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CodeLab.Grading;

/// <summary>
/// The candidate's code lines that matter for a failed criterion, found by a Roslyn syntax pass (no binding: it reads
/// what was written, so it also works on code that did not compile). "redis" cites each Redis call with what it does
/// about expiry; "locks" cites locks, atomics and the collections shared state lives in. A citation is evidence for
/// the reviewer, never scored.
/// </summary>
public static class CodeCitations
{
    const int MaxPerKind = 12;

    static readonly string[] RedisPrefixes = ["String", "Hash", "Key", "Script", "Lock", "List", "SetAdd", "SetRemove", "SortedSet", "Stream", "Execute", "Publish"];

    public static IReadOnlyList<CodeCitation> Find(IReadOnlyList<SourceFile> files, IEnumerable<string> kinds)
    {
        var trees = files.Where(f => f.Path.EndsWith(".cs", StringComparison.Ordinal))
            .Select(f => (f.Path, Root: CSharpSyntaxTree.ParseText(f.Text, path: f.Path).GetRoot(), Lines: f.Text.ReplaceLineEndings("\n").Split('\n')))
            .ToList();
        var strings = ConstantStrings(trees.Select(t => t.Root));
        var found = new List<CodeCitation>();
        foreach (var kind in kinds.Distinct())
        {
            var cited = kind switch
            {
                "redis" => trees.SelectMany(t => t.Root.DescendantNodes().OfType<InvocationExpressionSyntax>()
                    .Select(i => RedisNote(i, strings) is { } note ? Cite(t.Path, t.Lines, i, note) : null)),
                "locks" => trees.SelectMany(t => t.Root.DescendantNodes()
                    .Select(n => LockNote(n) is { } note ? Cite(t.Path, t.Lines, n, note) : null)),
                _ => throw new ArgumentException($"unknown citation kind '{kind}'", nameof(kinds)),
            };
            found.AddRange(cited.OfType<CodeCitation>().DistinctBy(c => (c.File, c.Line)).Take(MaxPerKind));
        }
        return found;
    }

    static CodeCitation Cite(string path, string[] lines, SyntaxNode node, string note)
    {
        var line = node.GetLocation().GetLineSpan().StartLinePosition.Line;
        var text = line < lines.Length ? lines[line].Trim() : "";
        return new CodeCitation(path, line + 1, text.Length > 200 ? text[..200] + " ..." : text, note);
    }

    static string? RedisNote(InvocationExpressionSyntax call, IReadOnlyDictionary<string, string> strings)
    {
        if (call.Expression is not MemberAccessExpressionSyntax { Name.Identifier.Text: var name }) return null;
        var bare = name.EndsWith("Async", StringComparison.Ordinal) ? name[..^5] : name;
        if (!RedisPrefixes.Any(p => bare.StartsWith(p, StringComparison.Ordinal))) return null;
        var args = call.ArgumentList.Arguments;
        switch (bare)
        {
            case "StringSet" or "LockTake":
            {
                var expiry = Argument(args, "expiry", 2);
                return expiry is null || expiry.Expression.IsKind(SyntaxKind.NullLiteralExpression)
                    ? $"{name}: writes a key with no expiry"
                    : $"{name}: writes a key that expires ({expiry.Expression})";
            }
            case "KeyExpire":
                return $"{name}: sets an expiry ({Argument(args, "expiry", 1)?.Expression.ToString() ?? "?"}), as a separate command";
            case "ScriptEvaluate":
            {
                var script = Argument(args, "script", 0)?.Expression;
                var text = script switch
                {
                    LiteralExpressionSyntax literal => literal.Token.ValueText,
                    IdentifierNameSyntax id => strings.GetValueOrDefault(id.Identifier.Text),
                    MemberAccessExpressionSyntax member => strings.GetValueOrDefault(member.Name.Identifier.Text),
                    _ => null,
                };
                if (text is null) return $"{name}: runs a Lua script (its text was not found in the submission)";
                var expires = System.Text.RegularExpressions.Regex.IsMatch(text, @"\b(PX|EX|PEXPIRE|EXPIRE|PEXPIREAT|EXPIREAT)\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
                return $"{name}: runs a Lua script that {(expires ? "sets an expiry" : "sets no expiry")}";
            }
            default:
                var writes = bare.Contains("Set", StringComparison.Ordinal) && !bare.Contains("Get", StringComparison.Ordinal)
                    || bare.Contains("Increment", StringComparison.Ordinal) || bare.Contains("Decrement", StringComparison.Ordinal)
                    || bare.Contains("Push", StringComparison.Ordinal) || bare.Contains("Add", StringComparison.Ordinal);
                return writes ? $"{name}: writes without an expiry of its own" : $"{name}";
        }
    }

    static ArgumentSyntax? Argument(SeparatedSyntaxList<ArgumentSyntax> args, string name, int position) =>
        args.FirstOrDefault(a => a.NameColon?.Name.Identifier.Text == name)
        ?? (position < args.Count && args.Take(position + 1).All(a => a.NameColon is null) ? args[position] : null);

    static string? LockNote(SyntaxNode node) => node switch
    {
        LockStatementSyntax l => $"lock ({l.Expression})",
        InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.Text: "Interlocked" or "Monitor" or "Volatile" } target, Name: var method } } =>
            $"{target.Identifier.Text}.{method.Identifier.Text}",
        ObjectCreationExpressionSyntax { Type: var type } when TypeName(type) is "ConcurrentDictionary" or "SemaphoreSlim" or "ReaderWriterLockSlim" or "Lock" or "Mutex" =>
            $"new {TypeName(type)}",
        ObjectCreationExpressionSyntax { Type: var type } when TypeName(type) is "Dictionary" or "List" or "HashSet" && node.FirstAncestorOrSelf<FieldDeclarationSyntax>() is not null =>
            $"a {TypeName(type)} held in a field (not safe for parallel callers without a lock)",
        _ => null,
    };

    static string TypeName(TypeSyntax type) => type switch
    {
        GenericNameSyntax g => g.Identifier.Text,
        QualifiedNameSyntax q => TypeName(q.Right),
        IdentifierNameSyntax i => i.Identifier.Text,
        _ => type.ToString(),
    };

    /// <summary>String constants and fields with a literal initialiser, by name (a Lua script is usually one).</summary>
    static IReadOnlyDictionary<string, string> ConstantStrings(IEnumerable<SyntaxNode> roots)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var declarator in roots.SelectMany(r => r.DescendantNodes().OfType<VariableDeclaratorSyntax>()))
            if (declarator.Initializer?.Value is LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } literal)
                found.TryAdd(declarator.Identifier.Text, literal.Token.ValueText);
            else if (declarator.Initializer?.Value is InterpolatedStringExpressionSyntax or BinaryExpressionSyntax)
                found.TryAdd(declarator.Identifier.Text, declarator.Initializer.Value.ToString());
        return found;
    }
}
