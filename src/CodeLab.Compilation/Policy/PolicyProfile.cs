namespace CodeLab.Compilation.Policy;

/// <summary>
/// Which APIs candidate code may use: an allow-list of namespaces for the exercise kind, with deny rules on
/// top for the dangerous corners of allowed namespaces. A reference is judged member first, then type,
/// then namespace; anything not allowed is refused.
/// </summary>
public sealed class PolicyProfile
{
    readonly List<string> allowedExact = [];
    readonly List<string> allowedTrees = [];
    readonly List<(string Namespace, PolicyRule Rule)> deniedTrees = [];
    readonly Dictionary<string, PolicyRule> deniedTypes = new(StringComparer.Ordinal);
    readonly Dictionary<string, PolicyRule> deniedMembers = new(StringComparer.Ordinal);
    readonly HashSet<string> allowedMembers = new(StringComparer.Ordinal);

    PolicyProfile() { }

    public string Name { get; private init; } = "";

    /// <summary>
    /// The profile for an exercise.
    /// </summary>
    /// <param name="kind">"library" or "service".</param>
    /// <param name="frameworks">Shared frameworks beyond Microsoft.NETCore.App the exercise allows.</param>
    /// <param name="packages">Packages the exercise allows (their namespaces become allowed).</param>
    public static PolicyProfile For(string kind, IEnumerable<string> frameworks, IEnumerable<string> packages)
    {
        var service = kind == "service";
        var profile = new PolicyProfile { Name = kind };
        profile.Allow("System", "System.Diagnostics", "System.IO", "System.Linq", "System.Net", "System.Runtime.CompilerServices",
            "System.Runtime.ExceptionServices", "System.Runtime.Versioning");
        profile.AllowTree("System.Buffers", "System.Collections", "System.ComponentModel", "System.Diagnostics.CodeAnalysis",
            "System.Diagnostics.Metrics", "System.Globalization", "System.Numerics", "System.Security.Cryptography", "System.Text",
            "System.Threading");
        if (service) profile.AllowTree("System.Net.Http", "System.Net.Mime");
        if (service || frameworks.Contains("Microsoft.AspNetCore.App"))
            profile.AllowTree("Microsoft.AspNetCore", "Microsoft.Extensions", "Microsoft.Net.Http.Headers");
        foreach (var package in packages) profile.AllowTree(package);

        profile.DenyTree(PolicyRules.Reflection, "System.Reflection");
        profile.DenyTree(PolicyRules.Interop, "System.Runtime.InteropServices", "Microsoft.Win32");
        profile.DenyTree(PolicyRules.AssemblyLoading, "System.Runtime.Loader");
        profile.DenyTree(PolicyRules.CodeGeneration, "System.Linq.Expressions", "System.Reflection.Emit");
        profile.DenyTree(PolicyRules.FileSystem, "System.IO.Pipes", "System.IO.MemoryMappedFiles", "System.IO.IsolatedStorage", "Microsoft.Extensions.FileProviders");
        profile.DenyTree(PolicyRules.Sockets, "System.Net.Sockets", "System.Net.NetworkInformation", "System.Net.Security", "System.Net.Quic");
        if (!service) profile.DenyTree(PolicyRules.Network, "System.Net.Http");

        // Reading a member's name is not reflection in any sense that matters here.
        profile.allowedMembers.UnionWith(["System.Reflection.MemberInfo.Name", "System.Reflection.MemberInfo.DeclaringType"]);
        // The SDK's source generators ([GeneratedRegex], [JsonSerializable], [LoggerMessage]) mark their output with it.
        profile.allowedMembers.Add("System.CodeDom.Compiler.GeneratedCodeAttribute..ctor");

        profile.DenyTypes(PolicyRules.Process, "System.Diagnostics.Process", "System.Diagnostics.ProcessStartInfo", "System.Diagnostics.ProcessModule", "System.Diagnostics.ProcessThread");
        profile.DenyTypes(PolicyRules.Debugger, "System.Diagnostics.Debugger");
        profile.DenyTypes(PolicyRules.Reflection, "System.Activator", "System.RuntimeMethodHandle", "System.RuntimeFieldHandle", "System.TypedReference", "System.ArgIterator");
        profile.DenyTypes(PolicyRules.AssemblyLoading, "System.AppDomain");
        profile.DenyTypes(PolicyRules.Unsafe, "System.Runtime.CompilerServices.Unsafe", "System.Runtime.CompilerServices.RuntimeHelpers",
            "System.Runtime.CompilerServices.UnsafeAccessorAttribute", "System.Runtime.CompilerServices.UnsafeAccessorTypeAttribute");
        profile.DenyTypes(PolicyRules.ModuleInitializer, "System.Runtime.CompilerServices.ModuleInitializerAttribute");
        profile.DenyTypes(PolicyRules.FileSystem, "System.IO.File", "System.IO.FileInfo", "System.IO.Directory", "System.IO.DirectoryInfo",
            "System.IO.FileSystemInfo", "System.IO.FileStream", "System.IO.DriveInfo", "System.IO.FileSystemWatcher", "System.IO.RandomAccess",
            "System.IO.UnixFileMode", "System.IO.FileStreamOptions");

        profile.DenyMembers(PolicyRules.Exit, "System.Environment.Exit", "System.Environment.FailFast");
        profile.DenyMembers(PolicyRules.Environment, "System.Environment.SetEnvironmentVariable", "System.Environment.CurrentDirectory");
        profile.DenyMembers(PolicyRules.ConsoleStreams, "System.Console.SetOut", "System.Console.SetError", "System.Console.SetIn",
            "System.Console.OpenStandardOutput", "System.Console.OpenStandardError", "System.Console.OpenStandardInput");
        profile.DenyMembers(PolicyRules.AssemblyLoading, "System.AppContext.SetSwitch", "System.AppContext.SetData");
        profile.DenyMembers(PolicyRules.FileSystem, "System.IO.Path.GetTempFileName");
        profile.DenyMembers(PolicyRules.Reflection,
            "System.Type.GetMethod", "System.Type.GetMethods", "System.Type.GetField", "System.Type.GetFields", "System.Type.GetProperty",
            "System.Type.GetProperties", "System.Type.GetMember", "System.Type.GetMembers", "System.Type.GetConstructor", "System.Type.GetConstructors",
            "System.Type.GetEvent", "System.Type.GetEvents", "System.Type.GetNestedType", "System.Type.GetNestedTypes", "System.Type.InvokeMember",
            "System.Type.GetType", "System.Type.GetTypeFromProgID", "System.Type.GetTypeFromCLSID", "System.Type.MakeGenericType",
            "System.Type.GetInterfaceMap", "System.Type.GetDefaultMembers", "System.Type.FindMembers", "System.Type.TypeInitializer",
            "System.Type.TypeHandle", "System.Type.Assembly", "System.Type.Module", "System.Type.GetRuntimeMethods", "System.Type.GetRuntimeFields",
            "System.Delegate.DynamicInvoke", "System.Delegate.Method", "System.Delegate.CreateDelegate");
        return profile;
    }

    void Allow(params string[] namespaces) => allowedExact.AddRange(namespaces);
    void AllowTree(params string[] namespaces) => allowedTrees.AddRange(namespaces);
    void DenyTree(PolicyRule rule, params string[] namespaces) => deniedTrees.AddRange(namespaces.Select(n => (n, rule)));
    void DenyTypes(PolicyRule rule, params string[] types) { foreach (var t in types) deniedTypes[t] = rule; }
    void DenyMembers(PolicyRule rule, params string[] members) { foreach (var m in members) deniedMembers[m] = rule; }

    /// <summary>The rule a reference breaks, or null when it is allowed.</summary>
    /// <param name="namespaceName">Namespace of the (outermost) type, "" for the global namespace.</param>
    /// <param name="typeName">Full type name with namespace, nested types joined by '.'.</param>
    /// <param name="memberName">Member name (constructors are ".ctor"), or null for a type reference.</param>
    public PolicyRule? Judge(string namespaceName, string typeName, string? memberName)
    {
        if (memberName is not null)
        {
            var member = typeName + "." + memberName;
            // Property and event accessors count as the property or event.
            var plain = StripAccessorPrefix(memberName);
            if (allowedMembers.Contains(member) || allowedMembers.Contains(typeName + "." + plain)) return null;
            if (deniedMembers.TryGetValue(member, out var rule) || deniedMembers.TryGetValue(typeName + "." + plain, out rule)) return rule;
        }
        if (deniedTypes.TryGetValue(typeName, out var typeRule)) return typeRule;
        foreach (var (denied, rule) in deniedTrees)
            if (InTree(namespaceName, denied)) return rule;
        if (allowedExact.Contains(namespaceName)) return null;
        foreach (var allowed in allowedTrees)
            if (InTree(namespaceName, allowed)) return null;
        return PolicyRules.OutsideAllowList;
    }

    static bool InTree(string name, string root) =>
        name == root || (name.Length > root.Length && name.StartsWith(root, StringComparison.Ordinal) && name[root.Length] == '.');

    static string StripAccessorPrefix(string member) =>
        member.StartsWith("get_", StringComparison.Ordinal) || member.StartsWith("set_", StringComparison.Ordinal) ? member[4..]
        : member.StartsWith("add_", StringComparison.Ordinal) ? member[4..]
        : member.StartsWith("remove_", StringComparison.Ordinal) ? member[7..]
        : member;
}
