using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace CodeLab.Compilation.Policy;

/// <summary>A refused use: the rule, and the API named as the candidate would write it.</summary>
/// <param name="Instead">What to use instead when the rule's own sentence does not say it for this member.</param>
public sealed record PolicyFinding(PolicyRule Rule, string What, string? Why = null, string? Instead = null)
{
    public string Message => (Why is null ? $"{What}: {Rule.Explanation}" : $"{What} {Why}: {Rule.Explanation}")
        + (Instead is null ? "" : $" Instead, {Instead}.");
}

/// <summary>
/// Judges one symbol that candidate code uses: first by its name (<see cref="PolicyProfile.Judge"/>), then by its
/// signature, wherever it lives. The signature rules close whole classes of doors that hide in allowed namespaces:
/// a member that takes a path (a string parameter named path, fileName, ...), a handle, or a System.Type to act
/// on; a member that takes or returns a type refused outright (a reflection object, a native handle); a generic
/// method instantiated with such a type. Rules are applied to the member's original definition, so a
/// Dictionary&lt;Type, int&gt; indexer is not mistaken for an API that acts on a Type.
/// </summary>
public static partial class SymbolJudge
{
    public static PolicyFinding? Judge(ISymbol symbol, IAssemblySymbol own, PolicyProfile profile)
    {
        switch (symbol)
        {
            case INamespaceSymbol or ILocalSymbol or IParameterSymbol or ILabelSymbol or IRangeVariableSymbol or IDiscardSymbol or ITypeParameterSymbol or IAliasSymbol:
                return null;
            case IMethodSymbol { ReducedFrom: { } extension } reduced:
                return Judge(extension, own, profile) ?? TypeArguments(reduced.TypeArguments, reduced, own, profile);
            case IArrayTypeSymbol array:
                return Judge(array.ElementType, own, profile);
            case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                return new PolicyFinding(PolicyRules.Unsafe, symbol.ToDisplayString());
            case INamedTypeSymbol type:
                return JudgeType(type, own, profile);
            default:
                return symbol.ContainingType is { } containing ? JudgeMember(symbol, containing, own, profile) : null;
        }
    }

    static PolicyFinding? JudgeType(INamedTypeSymbol type, IAssemblySymbol own, PolicyProfile profile)
    {
        var definition = type.OriginalDefinition;
        if (IsOwn(definition, own) || definition.IsTupleType || definition.IsAnonymousType)
            return TypeArguments(type.TypeArguments, type, own, profile);
        var (ns, full) = Names(definition);
        if (profile.Judge(ns, full, null) is { } rule) return new PolicyFinding(rule, full);
        return Outright(definition, own, profile) ?? TypeArguments(type.TypeArguments, type, own, profile);
    }

    static PolicyFinding? JudgeMember(ISymbol member, INamedTypeSymbol containing, IAssemblySymbol own, PolicyProfile profile)
    {
        var definition = member.OriginalDefinition;
        var type = containing.OriginalDefinition;
        if (IsOwn(type, own) || type.IsTupleType || type.IsAnonymousType) return null;
        var (ns, full) = Names(type);
        var what = full + "." + (member is IMethodSymbol { MethodKind: MethodKind.Constructor } ? "ctor" : member.Name);
        if (profile.Judge(ns, full, member.MetadataName) is { } rule) return new PolicyFinding(rule, what);

        foreach (var (signatureType, role) in SignatureTypes(definition))
            if (Outright(signatureType, own, profile) is { } outright)
                return new PolicyFinding(outright.Rule, what, $"{role} {outright.What}");

        // Algorithm factories that take a name hand it to CryptoConfig.CreateFromName, which builds any public type
        // of that name with the arguments given (CryptoConfig.CreateFromName("System.IO.StreamWriter", "/proc/self/fd/1")).
        // The parameterless factories (SHA256.Create(), Aes.Create()) and the HashAlgorithmName overloads are what code uses.
        if (ns == "System.Security.Cryptography" && definition is IMethodSymbol { IsStatic: true, Name: "Create" or "CreateFromName" } factory
            && factory.Parameters.Any(p => p.Type.SpecialType == SpecialType.System_String))
            return new PolicyFinding(PolicyRules.Reflection, what, "creates an object from a type or algorithm name",
                "use the parameterless factory (SHA256.Create(), Aes.Create()) or the static one-shot methods (SHA256.HashData)");

        foreach (var parameter in Parameters(definition))
        {
            // A type or assembly *name* is reflection by another route (IWebHostBuilder.UseStartup(assemblyName) loads
            // an assembly and runs its Startup class). Attributes are metadata the framework reads: they keep their names.
            if (IsTypeOrAssemblyName(parameter.Name) && IsText(parameter.Type) && !InheritsFrom(type, "System.Attribute"))
                return new PolicyFinding(PolicyRules.Reflection, what, $"takes a type or assembly name ({parameter.Name})");
            // Named wait handles are system-wide objects that live in files (/tmp/.dotnet/shm); unnamed ones are in-process.
            if (parameter.Name == "name" && IsText(parameter.Type) && NamedWaitHandles.Contains(full))
                return new PolicyFinding(PolicyRules.FileSystem, what, "takes the name of a system-wide object (name)", "create it without a name");
            if (TakesType(parameter.Type) && !TypeArgumentsAllowed(definition, type))
                return new PolicyFinding(PolicyRules.Reflection, what, $"takes a System.Type ({parameter.Name})");
            if (IsPathLike(parameter.Name) && IsText(parameter.Type) && !PureStringApis.Contains(full))
                return new PolicyFinding(PolicyRules.FileSystem, what, $"takes a path ({parameter.Name})");
            if (IsHandleLike(parameter.Name))
                return new PolicyFinding(PolicyRules.Interop, what, $"takes a handle ({parameter.Name})");
        }

        return member switch
        {
            IMethodSymbol method => TypeArguments(method.TypeArguments, method, own, profile) ?? TypeArguments(containing.TypeArguments, containing, own, profile),
            _ => TypeArguments(containing.TypeArguments, containing, own, profile),
        };
    }

    static readonly HashSet<string> NamedWaitHandles = new(StringComparer.Ordinal)
    {
        "System.Threading.Mutex", "System.Threading.Semaphore", "System.Threading.EventWaitHandle",
        "System.Threading.MutexAcl", "System.Threading.SemaphoreAcl", "System.Threading.EventWaitHandleAcl",
    };

    /// <summary>A property whose value is a path, written by candidate code (DefaultTraceListener.LogFileName = ...).</summary>
    public static PolicyFinding? JudgeWrite(IPropertySymbol property, IAssemblySymbol own)
    {
        var type = property.ContainingType.OriginalDefinition;
        if (IsOwn(type, own) || !IsPathLike(property.Name) || !IsText(property.Type)) return null;
        var (_, full) = Names(type);
        return PureStringApis.Contains(full) ? null : new PolicyFinding(PolicyRules.FileSystem, full + "." + property.Name, "is set to a path");
    }

    /// <summary>Types inferred or named as generic arguments: refused outright ones may not ride in that way.</summary>
    static PolicyFinding? TypeArguments(IEnumerable<ITypeSymbol> arguments, ISymbol owner, IAssemblySymbol own, PolicyProfile profile)
    {
        foreach (var argument in arguments)
        {
            if (Outright(argument, own, profile) is { } found)
                return new PolicyFinding(found.Rule, owner.ToDisplayString(), $"is used with {found.What}");
            // A generic method that builds a T from data (JsonSerializer.Deserialize<T>, IConfiguration.Get<T>, the
            // JSON source generator's metadata) sets T's properties and constructor parameters by name: for a framework
            // type that carries a path (JsonConfigurationSource.Path, PhysicalFileResult(fileName, ...)) that is the path
            // rule's way around. Interfaces and abstract types cannot be built, so resolving IWebHostEnvironment is fine.
            if (owner is IMethodSymbol && PathCarrier(argument, own) is { } carrier)
                return new PolicyFinding(PolicyRules.FileSystem, owner.ToDisplayString(), $"is used with {carrier}, which takes a path by name",
                    "use your own class for the data");
        }
        return null;
    }

    /// <summary>The framework class (or one among its type arguments) with a settable path property or a path constructor parameter.</summary>
    public static string? PathCarrier(ITypeSymbol type, IAssemblySymbol own)
    {
        if (type is IArrayTypeSymbol array) return PathCarrier(array.ElementType, own);
        if (type is not INamedTypeSymbol named) return null;
        foreach (var argument in named.TypeArguments)
            if (PathCarrier(argument, own) is { } inner) return inner;
        var definition = named.OriginalDefinition;
        if (IsOwn(definition, own) || definition.IsAbstract || definition.TypeKind is not (TypeKind.Class or TypeKind.Struct)) return null;
        var (_, full) = Names(definition);
        if (PureStringApis.Contains(full)) return null;
        for (var t = definition; t is not null; t = t.BaseType)
            foreach (var member in t.GetMembers())
            {
                if (member.DeclaredAccessibility != Accessibility.Public) continue;
                if (member is IPropertySymbol { SetMethod: not null, IsStatic: false } property && IsPathLike(property.Name) && IsText(property.Type)) return full;
                if (member is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor && SymbolEqualityComparer.Default.Equals(t, definition)
                    && constructor.Parameters.Any(p => IsPathLike(p.Name) && IsText(p.Type))) return full;
            }
        return null;
    }

    /// <summary>The refused-outright type a signature type is or carries (an array of it, a Task of it, ...).</summary>
    static PolicyFinding? Outright(ITypeSymbol type, IAssemblySymbol own, PolicyProfile profile)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                return Outright(array.ElementType, own, profile);
            case INamedTypeSymbol named:
            {
                var definition = named.OriginalDefinition;
                if (!IsOwn(definition, own) && !definition.IsTupleType && !definition.IsAnonymousType)
                {
                    var (ns, full) = Names(definition);
                    if (profile.DeniedOutright(ns, full) is { } rule) return new PolicyFinding(rule, full);
                    // A native handle is one wherever its type lives (System.Security.Cryptography.SafeEvpPKeyHandle).
                    if (InheritsFrom(definition, "System.Runtime.InteropServices.SafeHandle") || InheritsFrom(definition, "System.Runtime.InteropServices.CriticalHandle"))
                        return new PolicyFinding(PolicyRules.Interop, full);
                }
                foreach (var argument in named.TypeArguments)
                    if (Outright(argument, own, profile) is { } inner) return inner;
                return null;
            }
            default:
                return null;
        }
    }

    static IEnumerable<(ITypeSymbol Type, string Role)> SignatureTypes(ISymbol member)
    {
        switch (member)
        {
            case IMethodSymbol method:
                yield return (method.ReturnType, "returns");
                foreach (var p in method.Parameters) yield return (p.Type, "takes");
                break;
            case IPropertySymbol property:
                yield return (property.Type, "returns");
                foreach (var p in property.Parameters) yield return (p.Type, "takes");
                break;
            case IFieldSymbol field:
                yield return (field.Type, "holds");
                break;
            case IEventSymbol e:
                yield return (e.Type, "hands out");
                break;
        }
    }

    static IEnumerable<IParameterSymbol> Parameters(ISymbol member) => member switch
    {
        IMethodSymbol method => method.Parameters,
        IPropertySymbol property => property.Parameters,
        _ => [],
    };

    static bool TakesType(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => TakesType(array.ElementType),
        INamedTypeSymbol named => IsSystemType(named) || named.TypeArguments.Any(TakesType),
        _ => false,
    };

    static bool IsSystemType(INamedTypeSymbol type) => type.Name == "Type" && type.ContainingNamespace is { Name: "System", ContainingNamespace.IsGlobalNamespace: true };

    /// <summary>
    /// Where a System.Type argument is harmless: Type's own queries (its dangerous members are refused by name),
    /// Enum/Convert/Nullable conversions, equality and operators, attributes (metadata the framework reads), and
    /// dependency-injection registration (the container builds the registered types through their public constructors,
    /// which is what candidate code could do itself).
    /// </summary>
    static bool TypeArgumentsAllowed(ISymbol member, INamedTypeSymbol containing)
    {
        var (_, full) = Names(containing);
        if (full is "System.Type" or "System.Enum" or "System.Convert" or "System.Nullable" or "System.Object") return true;
        if (member is IMethodSymbol { MethodKind: MethodKind.UserDefinedOperator or MethodKind.Conversion } || member.Name is "Equals" or "ReferenceEquals") return true;
        if (InheritsFrom(containing, "System.Attribute")) return true;
        // Resolving a registered service by its type builds nothing that was not registered.
        if (full is "System.IServiceProvider" or "Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions"
            && member.Name is "GetService" or "GetRequiredService" or "GetServices") return true;
        if (full.StartsWith("Microsoft.Extensions.DependencyInjection.", StringComparison.Ordinal)
            && (full == "Microsoft.Extensions.DependencyInjection.ServiceDescriptor" || member.Name.StartsWith("Add", StringComparison.Ordinal)
                || member.Name.StartsWith("TryAdd", StringComparison.Ordinal) || member.Name is "Replace" or "RemoveAll"))
            return true;
        return false;
    }

    static bool InheritsFrom(INamedTypeSymbol type, string fullName)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
            if (Names(t.OriginalDefinition).Full == fullName) return true;
        return false;
    }

    /// <summary>
    /// Types whose string parameters and properties named path are paths in a string, never opened: Path's string
    /// functions, configuration keys, JSON paths, and URL paths (a cookie's Path = "/", UriBuilder.Path,
    /// UseExceptionHandler("/error") re-running the pipeline at that URL). Refusing these refused ordinary services.
    /// </summary>
    static readonly HashSet<string> PureStringApis = new(StringComparer.Ordinal)
    {
        "System.IO.Path", "Microsoft.Extensions.Configuration.ConfigurationPath", "Microsoft.AspNetCore.Http.PathString",
        "System.Text.Json.Nodes.JsonNode",
        "System.Uri", "System.UriBuilder", "System.Net.Cookie", "Microsoft.AspNetCore.Http.CookieOptions", "Microsoft.AspNetCore.Http.CookieBuilder",
        "Microsoft.AspNetCore.Builder.ExceptionHandlerExtensions", "Microsoft.AspNetCore.Builder.StatusCodePagesExtensions",
        "Microsoft.AspNetCore.Http.Features.HttpRequestFeature", "Microsoft.AspNetCore.Http.Features.IHttpRequestFeature",
    };

    static bool IsText(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => IsText(array.ElementType),
        INamedTypeSymbol { SpecialType: SpecialType.System_String } => true,
        INamedTypeSymbol named => named.OriginalDefinition.ToDisplayString() is "System.ReadOnlySpan<T>" or "System.Span<T>" or "System.Collections.Generic.IEnumerable<T>"
            && named.TypeArguments.Any(a => a.SpecialType is SpecialType.System_Char or SpecialType.System_String),
        _ => false,
    };

    public static bool IsPathLike(string name) => PathName().IsMatch(name);

    static bool IsHandleLike(string name) => HandleName().IsMatch(name);

    static bool IsTypeOrAssemblyName(string name) => TypeOrAssemblyName().IsMatch(name);

    [GeneratedRegex(@"^(typeName|assemblyName|assemblyString|.*(TypeName|AssemblyName))$")]
    private static partial Regex TypeOrAssemblyName();

    [GeneratedRegex(@"^(path|.*(Path|FileName|Filename|File|Directory|DirectoryName|Folder|Root|RootPath|SocketPath|PipeName|Executable)|fileName|filename|directory|folder|root|contentRoot|webRoot|pipeName|assemblyFile)$")]
    private static partial Regex PathName();

    [GeneratedRegex(@"^(handle|.*Handle)$", RegexOptions.IgnoreCase)]
    private static partial Regex HandleName();

    static bool IsOwn(INamedTypeSymbol type, IAssemblySymbol own) => SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, own);

    /// <summary>(Namespace of the outermost type, Namespace.Outer.Inner without generic arity).</summary>
    public static (string Namespace, string Full) Names(INamedTypeSymbol type)
    {
        var names = new Stack<string>();
        for (var t = type; t is not null; t = t.ContainingType) names.Push(t.Name);
        var outer = type;
        while (outer.ContainingType is { } parent) outer = parent;
        var ns = outer.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : "";
        return (ns, (ns.Length > 0 ? ns + "." : "") + string.Join('.', names));
    }
}
