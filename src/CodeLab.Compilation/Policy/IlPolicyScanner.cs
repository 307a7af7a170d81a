using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace CodeLab.Compilation.Policy;

/// <summary>
/// The second line of the policy: reads the emitted assembly's metadata (every member it references, native
/// imports, module initialisers) so that what the compiler generated on the candidate's behalf, or
/// what the source walk missed, is judged too.
/// </summary>
public static class IlPolicyScanner
{
    /// <summary>Members the C# compiler itself emits calls to (array initialisers, typeof, collection expressions,
    /// indexers, in-parameters): refusing them would refuse ordinary code. Explicit use in source is judged by <see cref="PolicyChecker"/>.</summary>
    static readonly ImmutableHashSet<string> CompilerEmitted = ImmutableHashSet.Create(StringComparer.Ordinal,
        "System.Type.GetTypeFromHandle",
        "System.Runtime.CompilerServices.RuntimeHelpers.InitializeArray",
        "System.Runtime.CompilerServices.RuntimeHelpers.CreateSpan",
        "System.Runtime.CompilerServices.RuntimeHelpers.GetSubArray",
        "System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack",
        "System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences",
        "System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode",
        "System.Runtime.CompilerServices.Unsafe.As",
        "System.Runtime.CompilerServices.Unsafe.Add",
        "System.Runtime.CompilerServices.Unsafe.AsRef",
        "System.Runtime.InteropServices.MemoryMarshal.CreateSpan",
        "System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan",
        "System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference",
        "System.Runtime.InteropServices.CollectionsMarshal.AsSpan",
        "System.Runtime.InteropServices.CollectionsMarshal.SetCount",
        "System.Reflection.DefaultMemberAttribute..ctor",
        // The SDK's System.Text.Json source generator looks up the constructors and properties of the candidate's
        // own types by name for attribute metadata. Candidate-written calls to these are judged (and refused) by the source pass.
        "System.Type.GetConstructor",
        "System.Type.GetProperty",
        "System.Type.GetField",
        "System.Type.GetMethod");

    public static IReadOnlyList<PolicyViolation> Scan(byte[] image, PolicyProfile profile)
    {
        using var pe = new PEReader(ImmutableArray.Create(image));
        var md = pe.GetMetadataReader();
        var found = new List<PolicyViolation>();
        void Refuse(PolicyRule rule, string what) =>
            found.Add(new PolicyViolation(rule.Id, "", 0, $"{what}: {rule.Explanation} (found in the compiled code)"));

        // Member references are what code does (calls, field access, constructors, attributes); a type
        // reference alone (a local's type, typeof) does nothing, and its members are judged where used.
        var names = new TypeNames(md);
        foreach (var handle in md.MemberReferences)
        {
            var member = md.GetMemberReference(handle);
            if (ParentType(md, member.Parent) is not { } parent) continue;
            var memberName = md.GetString(member.Name);
            var full = parent.Name + "." + memberName;
            if (CompilerEmitted.Contains(full)) continue;
            // `new T()` on a type parameter compiles to Activator.CreateInstance<T>(): it builds a T through its public
            // parameterless constructor, as `new X()` would; the source pass refuses Activator named in code, and T
            // itself is judged by the generic-instantiation check below.
            if (full == "System.Activator.CreateInstance" && member.GetKind() == MemberReferenceKind.Method
                && member.DecodeMethodSignature(names, null) is { GenericParameterCount: 1, ParameterTypes.Length: 0 })
                continue;
            if (profile.Judge(parent.Namespace, parent.Name, memberName) is { } rule)
            {
                Refuse(rule, full);
                continue;
            }
            // The signature and the generic arguments of the parent: an allowed member may not take in or hand
            // out a type refused outright, however the code came to call it.
            var types = new List<(string Namespace, string Name)>();
            if (member.Parent.Kind == HandleKind.TypeSpecification)
                types.AddRange(md.GetTypeSpecification((TypeSpecificationHandle)member.Parent).DecodeSignature(names, null).Types);
            if (member.GetKind() == MemberReferenceKind.Method)
            {
                var signature = member.DecodeMethodSignature(names, null);
                types.AddRange(signature.ReturnType.Types);
                foreach (var p in signature.ParameterTypes) types.AddRange(p.Types);
            }
            else
            {
                types.AddRange(member.DecodeFieldSignature(names, null).Types);
            }
            if (types.Select(t => profile.DeniedOutright(t.Namespace, t.Name) is { } r ? (r, t.Name) : default).FirstOrDefault(x => x.r is not null) is ({ } denied, var name))
                Refuse(denied, $"{full} (with {name})");
        }

        // Generic methods instantiated with a refused type (inferred, so never named in the source).
        for (var row = 1; row <= md.GetTableRowCount(TableIndex.MethodSpec); row++)
        {
            var spec = md.GetMethodSpecification(MetadataTokens.MethodSpecificationHandle(row));
            foreach (var argument in spec.DecodeSignature(names, null))
                foreach (var (ns, name) in argument.Types)
                    if (profile.DeniedOutright(ns, name) is { } rule) Refuse(rule, $"a generic method used with {name}");
        }

        foreach (var handle in md.MethodDefinitions)
        {
            var method = md.GetMethodDefinition(handle);
            if ((method.Attributes & MethodAttributes.PinvokeImpl) != 0 || (method.ImplAttributes & MethodImplAttributes.InternalCall) != 0)
                Refuse(PolicyRules.Interop, md.GetString(method.Name));
            // A method without a body that is neither abstract nor a delegate's runtime-provided Invoke is an extern:
            // the runtime supplies it (P/Invoke, [UnsafeAccessor] under whatever attribute type carries that name).
            else if (method.RelativeVirtualAddress == 0 && (method.Attributes & MethodAttributes.Abstract) == 0
                && (method.ImplAttributes & MethodImplAttributes.CodeTypeMask) != MethodImplAttributes.Runtime)
                Refuse(PolicyRules.Interop, md.GetString(method.Name) + " (a method without a body)");
        }

        // The candidate's own types in namespaces where the compiler and the runtime recognise types by name
        // (see PolicyChecker.ReservedNamespace); compiler-made types live in the global namespace.
        foreach (var handle in md.TypeDefinitions)
        {
            var type = md.GetTypeDefinition(handle);
            if (!type.GetDeclaringType().IsNil || IsEmbedded(md, type)) continue;
            var ns = md.GetString(type.Namespace);
            var full = ns + "." + md.GetString(type.Name);
            if (ns.Length == 0 || !(ns == "System.Runtime" || ns.StartsWith("System.Runtime.", StringComparison.Ordinal) || ns == "System.Security"
                || ns.StartsWith("System.Security.", StringComparison.Ordinal) || ns == "CodeLab" || ns.StartsWith("CodeLab.", StringComparison.Ordinal)
                || profile.DeniedOutright(ns, StripArity(full)) is not null)) continue;
            if (full is "System.Runtime.CompilerServices.IsExternalInit" or "System.Runtime.CompilerServices.RequiredMemberAttribute"
                or "System.Runtime.CompilerServices.CompilerFeatureRequiredAttribute" or "System.Runtime.CompilerServices.CallerArgumentExpressionAttribute") continue;
            Refuse(PolicyRules.ReservedNamespace, StripArity(full));
        }

        // Roslyn emits module initialisers as calls from the <Module> type's static constructor.
        foreach (var handle in md.TypeDefinitions)
        {
            var type = md.GetTypeDefinition(handle);
            if (md.GetString(type.Name) != "<Module>") continue;
            if (type.GetMethods().Any(m => md.GetString(md.GetMethodDefinition(m).Name) == ".cctor"))
                Refuse(PolicyRules.ModuleInitializer, "<Module>..cctor");
        }

        return found.DistinctBy(v => v.Message).ToList();
    }

    /// <summary>
    /// Attributes the compiler itself embeds when the framework lacks a public one (NullableAttribute,
    /// RefSafetyRulesAttribute, ...), marked [Microsoft.CodeAnalysis.Embedded]. A candidate who writes that marker by
    /// hand is refused by the source pass, which sees every type declared in the submission.
    /// </summary>
    static bool IsEmbedded(MetadataReader md, TypeDefinition type) =>
        type.GetCustomAttributes().Any(a =>
        {
            var ctor = md.GetCustomAttribute(a).Constructor;
            if (ctor.Kind != HandleKind.MethodDefinition) return false;
            var owner = md.GetTypeDefinition(md.GetMethodDefinition((MethodDefinitionHandle)ctor).GetDeclaringType());
            return md.GetString(owner.Namespace) == "Microsoft.CodeAnalysis" && md.GetString(owner.Name) == "EmbeddedAttribute";
        });

    static (string Namespace, string Name) TypeName(MetadataReader md, TypeReferenceHandle handle)
    {
        var type = md.GetTypeReference(handle);
        var name = StripArity(md.GetString(type.Name));
        if (type.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            var (ns, outer) = TypeName(md, (TypeReferenceHandle)type.ResolutionScope);
            return (ns, outer + "." + name);
        }
        var space = md.GetString(type.Namespace);
        return (space, space.Length == 0 ? name : space + "." + name);
    }

    static (string Namespace, string Name)? ParentType(MetadataReader md, EntityHandle parent)
    {
        switch (parent.Kind)
        {
            case HandleKind.TypeReference:
                return TypeName(md, (TypeReferenceHandle)parent);
            case HandleKind.TypeSpecification:
                // A generic instantiation: judge its generic type definition.
                var blob = md.GetBlobReader(md.GetTypeSpecification((TypeSpecificationHandle)parent).Signature);
                if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance) return null;
                blob.ReadSignatureTypeCode(); // class or value type
                var generic = blob.ReadTypeHandle();
                return generic.Kind == HandleKind.TypeReference ? TypeName(md, (TypeReferenceHandle)generic) : null;
            default:
                return null; // own types and methods
        }
    }

    /// <summary>Every type a decoded signature mentions, as (namespace, full name without arity).</summary>
    sealed record SignatureTypes(IReadOnlyList<(string Namespace, string Name)> Types)
    {
        public static readonly SignatureTypes None = new([]);
        public static SignatureTypes Of(params SignatureTypes[] parts) => new(parts.SelectMany(p => p.Types).ToList());
    }

    sealed class TypeNames(MetadataReader md) : ISignatureTypeProvider<SignatureTypes, object?>
    {
        public SignatureTypes GetPrimitiveType(PrimitiveTypeCode typeCode) => SignatureTypes.None;
        public SignatureTypes GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => SignatureTypes.None; // own types
        public SignatureTypes GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => new([TypeName(md, handle)]);
        public SignatureTypes GetTypeFromSpecification(MetadataReader reader, object? context, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, context);
        public SignatureTypes GetSZArrayType(SignatureTypes elementType) => elementType;
        public SignatureTypes GetArrayType(SignatureTypes elementType, ArrayShape shape) => elementType;
        public SignatureTypes GetByReferenceType(SignatureTypes elementType) => elementType;
        // C# without /unsafe cannot call a pointer API itself; the compiler does for stackalloc into a Span.
        public SignatureTypes GetPointerType(SignatureTypes elementType) => elementType;
        public SignatureTypes GetFunctionPointerType(MethodSignature<SignatureTypes> signature) => SignatureTypes.None;
        public SignatureTypes GetGenericInstantiation(SignatureTypes genericType, ImmutableArray<SignatureTypes> typeArguments) => SignatureTypes.Of([genericType, .. typeArguments]);
        public SignatureTypes GetGenericMethodParameter(object? context, int index) => SignatureTypes.None;
        public SignatureTypes GetGenericTypeParameter(object? context, int index) => SignatureTypes.None;
        public SignatureTypes GetModifiedType(SignatureTypes modifier, SignatureTypes unmodifiedType, bool isRequired) => unmodifiedType;
        public SignatureTypes GetPinnedType(SignatureTypes elementType) => elementType;
    }

    static string StripArity(string name) => name.IndexOf('`') is var tick and >= 0 ? name[..tick] : name;
}
