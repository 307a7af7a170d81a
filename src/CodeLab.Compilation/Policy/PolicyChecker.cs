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
                if (IsInUsingOrNameof(node)) continue;
                foreach (var symbol in UsedSymbols(model, node, cancellationToken))
                {
                    if (symbol is IDynamicTypeSymbol)
                    {
                        Add(violations, PolicyRules.Dynamic, node, PolicyRules.Dynamic.Explanation);
                        continue;
                    }
                    var finding = SymbolJudge.Judge(symbol, compilation.Assembly, profile)
                        ?? (symbol is IPropertySymbol property && IsWritten(node) ? SymbolJudge.JudgeWrite(property, compilation.Assembly) : null);
                    if (finding is not null) Add(violations, finding.Rule, node, finding.Message);
                }
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

    /// <summary>
    /// What a node makes the program use: the symbol a name binds to, and the members the compiler calls on the
    /// code's behalf (indexers, operators, conversions, foreach, await, query clauses, collection initialisers), so
    /// that the signature rules see those calls too.
    /// </summary>
    static IEnumerable<ISymbol> UsedSymbols(SemanticModel model, SyntaxNode node, CancellationToken ct)
    {
        switch (node)
        {
            case SimpleNameSyntax or ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax or ElementAccessExpressionSyntax
                or BinaryExpressionSyntax or PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax or AssignmentExpressionSyntax:
                if (Bound(model.GetSymbolInfo(node, ct)) is { } bound) yield return bound;
                break;
            case CastExpressionSyntax cast:
                if (model.GetConversion(cast.Expression, ct).MethodSymbol is { } castOperator) yield return castOperator;
                break;
            case ForEachStatementSyntax forEach:
                var info = model.GetForEachStatementInfo(forEach);
                foreach (var s in new ISymbol?[] { info.GetEnumeratorMethod, info.MoveNextMethod, info.CurrentProperty, info.DisposeMethod })
                    if (s is not null) yield return s;
                break;
            case AwaitExpressionSyntax awaitExpression:
                var awaitInfo = model.GetAwaitExpressionInfo(awaitExpression);
                foreach (var s in new ISymbol?[] { awaitInfo.GetAwaiterMethod, awaitInfo.GetResultMethod, awaitInfo.IsCompletedProperty })
                    if (s is not null) yield return s;
                break;
            case QueryClauseSyntax clause:
                var clauseInfo = model.GetQueryClauseInfo(clause, ct);
                if (Bound(clauseInfo.OperationInfo) is { } operation) yield return operation;
                if (Bound(clauseInfo.CastInfo) is { } castInfo) yield return castInfo;
                break;
            case SelectOrGroupClauseSyntax or OrderingSyntax:
                if (Bound(model.GetSymbolInfo(node, ct)) is { } selected) yield return selected;
                break;
            case InitializerExpressionSyntax { RawKind: (int)SyntaxKind.CollectionInitializerExpression } initializer:
                foreach (var element in initializer.Expressions)
                    if (Bound(model.GetCollectionInitializerSymbolInfo(element, ct)) is { } add) yield return add;
                break;
        }
        if (node is ExpressionSyntax expression && model.GetConversion(expression, ct) is { IsUserDefined: true, MethodSymbol: { } conversion })
            yield return conversion;
    }

    static ISymbol? Bound(SymbolInfo info) => info.Symbol ?? info.CandidateSymbols.FirstOrDefault();

    /// <summary>The target of an assignment or of an object initialiser's member assignment.</summary>
    static bool IsWritten(SyntaxNode node)
    {
        var target = node.Parent is MemberAccessExpressionSyntax access && access.Name == node ? access : node;
        return target.Parent is AssignmentExpressionSyntax assignment && assignment.Left == target;
    }

    /// <summary>Namespace.Outer.Inner, without generic arity.</summary>
    public static string FullName(INamedTypeSymbol type) => SymbolJudge.Names(type).Full;

    static void Add(List<PolicyViolation> violations, PolicyRule rule, SyntaxNode node, string message)
    {
        var span = node.GetLocation().GetLineSpan();
        violations.Add(new PolicyViolation(rule.Id, span.Path, span.StartLinePosition.Line + 1, message));
    }
}
