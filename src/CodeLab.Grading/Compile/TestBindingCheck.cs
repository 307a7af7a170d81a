using CodeLab.Compilation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CodeLab.Grading;

/// <summary>
/// Tests bind to what they were written against. The grader's tests are compiled against the candidate's assembly and
/// live in a namespace under the candidate's own, so C#'s name lookup prefers a type or extension method the candidate
/// declares (an Assert class, a ShouldBe extension, a Task type, an Equals that always says yes) over the framework's.
/// The same test sources compiled against the reference solution show what every name was meant to bind to: each
/// name the reference compilation binds to a framework or test library must bind to the very same member against the
/// candidate's code, with no candidate type slipped into a framework generic where the reference had a framework type.
/// </summary>
public static class TestBindingCheck
{
    /// <summary>One test file whose bindings differ: the first difference, in words.</summary>
    public sealed record Capture(string File, string Meant, string Bound);

    /// <param name="meant">The test compilation against the reference solution (same test files).</param>
    /// <param name="actual">The test compilation against the candidate's assembly.</param>
    /// <param name="solutionAssemblyName">The name both solution assemblies carry.</param>
    public static IReadOnlyList<Capture> Compare(CSharpCompilation meant, CSharpCompilation actual, string solutionAssemblyName, CancellationToken cancellationToken)
    {
        var captures = new List<Capture>();
        var actualTrees = actual.SyntaxTrees.Where(t => t.FilePath != CSharpCompiler.GeneratedPath).ToDictionary(t => t.FilePath, StringComparer.Ordinal);
        foreach (var meantTree in meant.SyntaxTrees.Where(t => t.FilePath != CSharpCompiler.GeneratedPath))
        {
            if (!actualTrees.TryGetValue(meantTree.FilePath, out var actualTree)) continue;
            var meantModel = meant.GetSemanticModel(meantTree);
            var actualModel = actual.GetSemanticModel(actualTree);
            var actualNodes = actualTree.GetRoot(cancellationToken).DescendantNodes().Where(IsBindingSite).ToDictionary(n => (n.SpanStart, n.Span.Length, n.RawKind));
            foreach (var node in meantTree.GetRoot(cancellationToken).DescendantNodes().Where(IsBindingSite))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (Bound(meantModel, node, cancellationToken) is not { } intended || IsSolution(intended, solutionAssemblyName) || IsOwnTest(intended, meant)) continue;
                var other = actualNodes.TryGetValue((node.SpanStart, node.Span.Length, node.RawKind), out var twin) ? Bound(actualModel, twin, cancellationToken) : null;
                if (other is null) continue; // did not bind at all: the compiler has already said so
                if (!SameDefinition(intended, other) || SolutionTypeSlippedIn(intended, other, solutionAssemblyName))
                {
                    captures.Add(new Capture(meantTree.FilePath, Describe(intended), Describe(other)));
                    break;
                }
            }
        }
        return captures;
    }

    static bool IsBindingSite(SyntaxNode node) =>
        node is SimpleNameSyntax or ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax or ElementAccessExpressionSyntax
            or BinaryExpressionSyntax or PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax
        && !node.Ancestors().Any(a => a is UsingDirectiveSyntax);

    static ISymbol? Bound(SemanticModel model, SyntaxNode node, CancellationToken ct)
    {
        var info = model.GetSymbolInfo(node, ct);
        var symbol = info.Symbol ?? (info.CandidateSymbols.Length == 1 ? info.CandidateSymbols[0] : null);
        return symbol is IMethodSymbol { ReducedFrom: not null } reduced ? reduced : symbol;
    }

    static bool IsSolution(ISymbol symbol, string solutionAssemblyName) => Assembly(symbol)?.Name == solutionAssemblyName;

    static bool IsOwnTest(ISymbol symbol, Microsoft.CodeAnalysis.Compilation compilation) =>
        symbol is ILocalSymbol or IParameterSymbol or IRangeVariableSymbol or ILabelSymbol or IDiscardSymbol or ITypeParameterSymbol or INamespaceSymbol
        || SymbolEqualityComparer.Default.Equals(Assembly(symbol), compilation.Assembly);

    static IAssemblySymbol? Assembly(ISymbol symbol) => (symbol is IMethodSymbol { ReducedFrom: { } from } ? from : symbol).OriginalDefinition.ContainingAssembly;

    static bool SameDefinition(ISymbol intended, ISymbol other)
    {
        var a = intended is IMethodSymbol { ReducedFrom: { } ra } ? ra : intended.OriginalDefinition;
        var b = other is IMethodSymbol { ReducedFrom: { } rb } ? rb : other.OriginalDefinition;
        return a.Kind == b.Kind
            && Assembly(a)?.Name == Assembly(b)?.Name
            && a.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) == b.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)
            && Signature(a) == Signature(b);
    }

    static string Signature(ISymbol symbol) => symbol is IMethodSymbol m
        ? string.Join(",", m.Parameters.Select(p => p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)))
        : "";

    /// <summary>
    /// ShouldBe&lt;bool&gt;(bool, bool) against the reference, ShouldBe&lt;Verdict&gt;(Verdict, Verdict) against the candidate: the
    /// framework would then ask the candidate's own type whether it equals what the test expects.
    /// </summary>
    static bool SolutionTypeSlippedIn(ISymbol intended, ISymbol other, string solutionAssemblyName)
    {
        var meantArguments = TypeArguments(intended);
        var actualArguments = TypeArguments(other);
        if (meantArguments.Count != actualArguments.Count) return true;
        for (var i = 0; i < meantArguments.Count; i++)
            if (MentionsSolution(actualArguments[i], solutionAssemblyName) && !MentionsSolution(meantArguments[i], solutionAssemblyName)) return true;
        return false;
    }

    static IReadOnlyList<ITypeSymbol> TypeArguments(ISymbol symbol) => symbol switch
    {
        IMethodSymbol method => [.. method.TypeArguments, .. method.ContainingType?.TypeArguments ?? []],
        _ => symbol.ContainingType?.TypeArguments ?? [],
    };

    static bool MentionsSolution(ITypeSymbol type, string solutionAssemblyName) => type switch
    {
        IArrayTypeSymbol array => MentionsSolution(array.ElementType, solutionAssemblyName),
        INamedTypeSymbol named => named.ContainingAssembly?.Name == solutionAssemblyName || named.TypeArguments.Any(a => MentionsSolution(a, solutionAssemblyName)),
        _ => false,
    };

    static string Describe(ISymbol symbol)
    {
        var shown = symbol is IMethodSymbol { ReducedFrom: { } from } ? from : symbol;
        return $"{shown.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)} ({Assembly(shown)?.Name ?? "?"})";
    }
}
