using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CodeLab.Compilation.Policy;

/// <summary>
/// Judges candidate source with Roslyn's semantic model: every name that binds to a type or member outside
/// the candidate's own code is checked against the profile, and unsafe constructs are found in the syntax.
/// Generated files (CodeLab's own) are not judged. The IL scan (<see cref="IlPolicyScanner"/>) backs this up.
/// </summary>
public static class PolicyChecker
{
    public static IReadOnlyList<PolicyViolation> Check(Microsoft.CodeAnalysis.CSharp.CSharpCompilation compilation, PolicyProfile profile, CancellationToken cancellationToken)
    {
        var violations = new List<PolicyViolation>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (tree.FilePath == CSharpCompiler.GeneratedPath) continue;
            var model = compilation.GetSemanticModel(tree);
            var root = tree.GetRoot(cancellationToken);
            foreach (var node in root.DescendantNodes(descendIntoTrivia: false))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (SyntaxRule(node) is { } syntaxRule)
                {
                    Add(violations, syntaxRule, node, syntaxRule.Explanation);
                    continue;
                }
                if (node is not (SimpleNameSyntax or ImplicitObjectCreationExpressionSyntax or ObjectCreationExpressionSyntax)) continue;
                if (IsInUsingOrNameof(node)) continue;

                var symbol = model.GetSymbolInfo(node, cancellationToken) is var info && info.Symbol is { } bound
                    ? bound
                    : info.CandidateSymbols.FirstOrDefault();
                if (symbol is null) continue;
                if (symbol is IDynamicTypeSymbol)
                {
                    Add(violations, PolicyRules.Dynamic, node, PolicyRules.Dynamic.Explanation);
                    continue;
                }
                if (Judge(symbol, compilation.Assembly, profile) is { } rule)
                    Add(violations, rule, node, Describe(symbol, rule));
            }
        }
        return violations
            .DistinctBy(v => (v.Rule, v.File, v.Line, v.Message))
            .OrderBy(v => v.File, StringComparer.Ordinal).ThenBy(v => v.Line)
            .ToList();
    }

    static PolicyRule? SyntaxRule(SyntaxNode node) => node switch
    {
        UnsafeStatementSyntax or FixedStatementSyntax or PointerTypeSyntax or FunctionPointerTypeSyntax
            or MakeRefExpressionSyntax or RefTypeExpressionSyntax or RefValueExpressionSyntax => PolicyRules.Unsafe,
        MemberDeclarationSyntax member when member.Modifiers.Any(SyntaxKind.UnsafeKeyword) => PolicyRules.Unsafe,
        LocalFunctionStatementSyntax local when local.Modifiers.Any(SyntaxKind.UnsafeKeyword) || local.Modifiers.Any(SyntaxKind.ExternKeyword) => PolicyRules.Unsafe,
        MemberDeclarationSyntax member when member.Modifiers.Any(SyntaxKind.ExternKeyword) => PolicyRules.Interop,
        ExpressionSyntax expression when expression.IsKind(SyntaxKind.ArgListExpression) => PolicyRules.Unsafe,
        _ => null,
    };

    /// <summary>Using directives and nameof() name things without using them; what they name is judged where it is used.</summary>
    static bool IsInUsingOrNameof(SyntaxNode node) =>
        node.Ancestors().Any(a => a is UsingDirectiveSyntax
            || a is InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.Text: "nameof" } });

    static PolicyRule? Judge(ISymbol symbol, IAssemblySymbol own, PolicyProfile profile)
    {
        switch (symbol)
        {
            case INamespaceSymbol or ILocalSymbol or IParameterSymbol or ILabelSymbol or IRangeVariableSymbol or IDiscardSymbol or ITypeParameterSymbol or IAliasSymbol:
                return null;
            case IMethodSymbol { ReducedFrom: { } extension }:
                return Judge(extension, own, profile);
            case IArrayTypeSymbol array:
                return Judge(array.ElementType, own, profile);
            case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                return PolicyRules.Unsafe;
            case INamedTypeSymbol type:
                return JudgeType(type, null, own, profile);
            default:
                return symbol.ContainingType is { } containing ? JudgeType(containing, symbol.MetadataName, own, profile) : null;
        }
    }

    static PolicyRule? JudgeType(INamedTypeSymbol type, string? member, IAssemblySymbol own, PolicyProfile profile)
    {
        var definition = type.OriginalDefinition;
        if (SymbolEqualityComparer.Default.Equals(definition.ContainingAssembly, own)) return null;
        if (definition.IsTupleType || definition.IsAnonymousType) return null;
        var outer = definition;
        while (outer.ContainingType is { } parent) outer = parent;
        var ns = outer.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : "";
        return profile.Judge(ns, FullName(definition), member);
    }

    /// <summary>Namespace.Outer.Inner, without generic arity.</summary>
    public static string FullName(INamedTypeSymbol type)
    {
        var names = new Stack<string>();
        for (var t = type; t is not null; t = t.ContainingType) names.Push(t.Name);
        var outer = type;
        while (outer.ContainingType is { } parent) outer = parent;
        var ns = outer.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() + "." : "";
        return ns + string.Join('.', names);
    }

    static string Describe(ISymbol symbol, PolicyRule rule)
    {
        var what = symbol is INamedTypeSymbol type ? FullName(type.OriginalDefinition)
            : symbol.ContainingType is { } containing ? FullName(containing.OriginalDefinition) + "." + symbol.Name
            : symbol.ToDisplayString();
        return rule == PolicyRules.OutsideAllowList
            ? $"{what} is outside the API this exercise allows."
            : $"{what}: {rule.Explanation}";
    }

    static void Add(List<PolicyViolation> violations, PolicyRule rule, SyntaxNode node, string message)
    {
        var span = node.GetLocation().GetLineSpan();
        violations.Add(new PolicyViolation(rule.Id, span.Path, span.StartLinePosition.Line + 1, message));
    }
}
