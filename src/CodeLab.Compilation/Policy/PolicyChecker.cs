using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

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
                    Add(violations, syntaxRule, node, $"{SyntaxWhat(node)}: {syntaxRule.Explanation}");
                    continue;
                }
                if (node is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax
                    && model.GetDeclaredSymbol(node, cancellationToken) is INamedTypeSymbol declared
                    && ReservedNamespace(declared, profile) is { } reserved)
                {
                    Add(violations, PolicyRules.ReservedNamespace, node, $"{FullName(declared)} is declared in {reserved}: {PolicyRules.ReservedNamespace.Explanation}");
                    continue;
                }
                if (IsInUsingOrNameof(model, node, cancellationToken)) continue;
                if (BindsFrameworkObject(model, node, compilation.Assembly, cancellationToken) is { } bind)
                    Add(violations, bind.Rule, node, bind.Message);
                if (RegistersRuntimeType(model, node, compilation.Assembly, cancellationToken) is { } register)
                    Add(violations, register.Rule, node, register.Message);
                // typeof(X) of a framework type that takes a path by name: [JsonSerializable(typeof(JsonConfigurationSource))]
                // has the JSON source generator (which runs after this pass) emit code that sets Path from JSON, and
                // the generated JsonTypeInfo is used without naming the type again. Ordinary code has no use for it.
                if (node is TypeOfExpressionSyntax typeOf && model.GetTypeInfo(typeOf.Type, cancellationToken).Type is { } operand
                    && SymbolJudge.PathCarrier(operand, compilation.Assembly) is { } carrier)
                    Add(violations, PolicyRules.FileSystem, node, $"typeof({operand.ToDisplayString()}) hands over {carrier}, which takes a path by name: {PolicyRules.FileSystem.Explanation} Instead, use your own class for the data.");
                foreach (var symbol in UsedSymbols(model, node, cancellationToken))
                {
                    if (symbol is IDynamicTypeSymbol)
                    {
                        Add(violations, PolicyRules.Dynamic, node, $"dynamic: {PolicyRules.Dynamic.Explanation}");
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

    /// <summary>What a refused construct is, named as the candidate wrote it (the message names it, as it names an API).</summary>
    static string SyntaxWhat(SyntaxNode node) => node switch
    {
        MethodDeclarationSyntax method => $"{(method.Modifiers.Any(SyntaxKind.ExternKeyword) ? "extern" : "unsafe")} method {method.Identifier.Text}",
        LocalFunctionStatementSyntax local => $"{(local.Modifiers.Any(SyntaxKind.ExternKeyword) ? "extern" : "unsafe")} local function {local.Identifier.Text}",
        BaseTypeDeclarationSyntax type => $"unsafe type {type.Identifier.Text}",
        MemberDeclarationSyntax member => $"{(member.Modifiers.Any(SyntaxKind.ExternKeyword) ? "extern" : "unsafe")} member",
        UnsafeStatementSyntax => "unsafe block",
        FixedStatementSyntax => "fixed statement",
        PointerTypeSyntax or FunctionPointerTypeSyntax => $"pointer type {node}",
        MakeRefExpressionSyntax => "__makeref",
        RefTypeExpressionSyntax => "__reftype",
        RefValueExpressionSyntax => "__refvalue",
        _ => "__arglist",
    };

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

    /// <summary>
    /// Using directives and nameof() name things without using them; what they name is judged where it is used.
    /// Only the real nameof operator counts: a method the candidate names `nameof` makes `nameof(File.ReadAllText(p))`
    /// an ordinary call whose argument runs, so it is judged like any other code.
    /// </summary>
    static bool IsInUsingOrNameof(SemanticModel model, SyntaxNode node, CancellationToken ct) =>
        node.Ancestors().Any(a => a is UsingDirectiveSyntax
            || a is InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.Text: "nameof" } } call
                && model.GetOperation(call, ct) is INameOfOperation);

    /// <summary>
    /// Namespaces where the compiler and the runtime recognise types by their name alone, whatever assembly declares
    /// them: a candidate's own System.Runtime.InteropServices.StructLayoutAttribute lays out fields as the real one
    /// does (two references at one offset: type confusion, arbitrary memory reads), its own ModuleInitializerAttribute
    /// runs code before the tests, its own IgnoresAccessChecksToAttribute lifts access checks. The namespaces the
    /// profile refuses outright are reserved too (nothing of the candidate's belongs in System.Reflection), and so is
    /// Microsoft.CodeAnalysis, whose EmbeddedAttribute marks the compiler's own embedded types, and CodeLab, whose
    /// names the grader trusts (a hidden test's CodeLab.Verdicts.InconclusiveException makes an attempt inconclusive).
    /// Ordinary code never declares types there; the polyfills that older targets needed are let through, since
    /// .NET already has them and the compiler treats the copy exactly like the original.
    /// </summary>
    static string? ReservedNamespace(INamedTypeSymbol type, PolicyProfile profile)
    {
        var (ns, full) = SymbolJudge.Names(type);
        if (HarmlessPolyfills.Contains(full)) return null;
        foreach (var root in (string[])["System.Runtime", "System.Security", "Microsoft.CodeAnalysis", "CodeLab"])
            if (ns == root || ns.StartsWith(root + ".", StringComparison.Ordinal)) return ns;
        return profile.DeniedOutright(ns, full) is not null ? ns : null;
    }

    static readonly HashSet<string> HarmlessPolyfills = new(StringComparer.Ordinal)
    {
        "System.Runtime.CompilerServices.IsExternalInit", "System.Runtime.CompilerServices.RequiredMemberAttribute",
        "System.Runtime.CompilerServices.CompilerFeatureRequiredAttribute", "System.Runtime.CompilerServices.CallerArgumentExpressionAttribute",
    };

    /// <summary>
    /// Dependency-injection registrations may take System.Type arguments (SymbolJudge lets them: the container builds
    /// registered types through their public constructors). That holds only for types the code names: a Type known at
    /// run time (writer.GetType()) or a framework type whose constructor takes a path lets the container build
    /// StreamWriter("/proc/self/fd/1") from a registered string. Each Type argument must be typeof(X) of the
    /// candidate's own type or of a framework type that takes no path.
    /// </summary>
    static PolicyFinding? RegistersRuntimeType(SemanticModel model, SyntaxNode node, IAssemblySymbol own, CancellationToken ct)
    {
        if (node is not (InvocationExpressionSyntax or BaseObjectCreationExpressionSyntax)) return null;
        var (method, arguments) = model.GetOperation(node, ct) switch
        {
            IInvocationOperation call => (call.TargetMethod, call.Arguments),
            IObjectCreationOperation creation when creation.Constructor is { } constructor => (constructor, creation.Arguments),
            _ => (null, default),
        };
        if (method?.ContainingType is not { } type || arguments.IsDefault) return null;
        var (ns, full) = SymbolJudge.Names(type.OriginalDefinition);
        if (!ns.StartsWith("Microsoft.Extensions.DependencyInjection", StringComparison.Ordinal)) return null;
        foreach (var argument in arguments)
        {
            if (argument.Parameter?.Type is not INamedTypeSymbol { Name: "Type", ContainingNamespace.Name: "System" }) continue;
            var value = argument.Value is IConversionOperation { IsImplicit: true } conversion ? conversion.Operand : argument.Value;
            if (value.ConstantValue is { HasValue: true, Value: null }) continue;
            if (value is ITypeOfOperation { TypeOperand: var operand }
                && (operand is INamedTypeSymbol named && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition.ContainingAssembly, own)
                    || SymbolJudge.PathCarrier(operand, own) is null))
                continue;
            var what = full + "." + (method.MethodKind == MethodKind.Constructor ? "ctor" : method.Name);
            return value is ITypeOfOperation { TypeOperand: var carrier }
                ? new PolicyFinding(PolicyRules.FileSystem, what, $"registers {carrier.ToDisplayString()}, whose constructor takes a path the container would fill in", "register your own type")
                : new PolicyFinding(PolicyRules.Reflection, what, "registers a type known only at run time", "register types with typeof(YourType) or the generic overloads");
        }
        return null;
    }

    /// <summary>
    /// ConfigurationBinder.Bind sets an object's public properties by name from configuration: on the candidate's own
    /// options class that is the options pattern; on a framework object it is a way around the path rule
    /// (JsonConfigurationSource.Path, WebApplicationOptions.WebRootPath set from a string key). The object bound must
    /// be of the candidate's own type.
    /// </summary>
    static PolicyFinding? BindsFrameworkObject(SemanticModel model, SyntaxNode node, IAssemblySymbol own, CancellationToken ct)
    {
        if (node is not InvocationExpressionSyntax || model.GetOperation(node, ct) is not IInvocationOperation call) return null;
        if (call.TargetMethod is not { Name: "Bind", ContainingType: { } binder } || FullName(binder.OriginalDefinition) != "Microsoft.Extensions.Configuration.ConfigurationBinder")
            return null;
        foreach (var argument in call.Arguments)
        {
            if (argument.Parameter is not { Type.SpecialType: SpecialType.System_Object }) continue;
            var value = argument.Value is IConversionOperation { IsImplicit: true } conversion ? conversion.Operand : argument.Value;
            if (value.Type is INamedTypeSymbol { } bound && SymbolEqualityComparer.Default.Equals(bound.OriginalDefinition.ContainingAssembly, own)) continue;
            if (value.ConstantValue is { HasValue: true, Value: null }) continue;
            return new PolicyFinding(PolicyRules.Reflection, "Microsoft.Extensions.Configuration.ConfigurationBinder.Bind",
                $"sets the properties of {value.Type?.ToDisplayString() ?? "an object"} by name (bind only your own options classes)");
        }
        return null;
    }

    /// <summary>
    /// What a node makes the program use: the symbol a name binds to, and the members the compiler calls on the
    /// code's behalf (indexers, operators, conversions, foreach, await, query clauses, collection initialisers), so
    /// that the signature rules see those calls too.
    /// </summary>
    static IEnumerable<ISymbol> UsedSymbols(SemanticModel model, SyntaxNode node, CancellationToken ct)
    {
        switch (node)
        {
            // `var (a, b) = value;` calls Deconstruct methods the syntax never names.
            case AssignmentExpressionSyntax { Left: TupleExpressionSyntax or DeclarationExpressionSyntax } deconstruction:
                if (Bound(model.GetSymbolInfo(node, ct)) is { } assigned) yield return assigned;
                if (model.GetDeconstructionInfo(deconstruction).Method is { } deconstruct) yield return deconstruct;
                break;
            case SimpleNameSyntax or ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax or ElementAccessExpressionSyntax
                or BinaryExpressionSyntax or PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax or AssignmentExpressionSyntax:
                if (Bound(model.GetSymbolInfo(node, ct)) is { } bound) yield return bound;
                break;
            // Base-constructor calls are not `new` expressions: `: base("/proc/self/fd/1")` and the primary-constructor
            // form `class W() : StreamWriter(path)` call a constructor that the signature rules must see.
            case ConstructorInitializerSyntax or PrimaryConstructorBaseTypeSyntax:
                if (Bound(model.GetSymbolInfo(node, ct)) is { } baseConstructor) yield return baseConstructor;
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
