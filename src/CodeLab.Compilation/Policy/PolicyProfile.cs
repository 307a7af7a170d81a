namespace CodeLab.Compilation.Policy;

/// <summary>
/// Which APIs candidate code may use. Deny by default: a namespace is allowed whole only where every member in
/// it is pure or acts on the candidate's own objects; where a namespace mixes pure and effectful APIs
/// (System.IO, System.Net, System.Diagnostics, System.ComponentModel), only the listed types are allowed.
/// On top of the names, <see cref="SymbolJudge"/> refuses members by their signature wherever they live: anything
/// that takes a path, a handle or a System.Type, or takes or returns a refused type (a reflection object, a
/// native handle). A reference is judged member first, then type, then namespace.
///
/// Why each allowed corner is safe is written beside it. The trust model (DESIGN.md): in a library exercise
/// this code shares a process with the test runner, so the policy is the first of three layers.
/// </summary>
public sealed class PolicyProfile
{
    /// <summary>Changes whenever what is allowed changes; reports say which version judged the code.</summary>
    public const string Version = "3";

    readonly List<string> allowedExact = [];
    readonly List<string> allowedTrees = [];
    readonly Dictionary<string, HashSet<string>> allowedTypesIn = new(StringComparer.Ordinal);
    readonly List<(string Namespace, PolicyRule Rule)> deniedTrees = [];
    readonly Dictionary<string, PolicyRule> deniedTypes = new(StringComparer.Ordinal);
    readonly Dictionary<string, PolicyRule> deniedMembers = new(StringComparer.Ordinal);
    readonly HashSet<string> allowedMembers = new(StringComparer.Ordinal);
    readonly Dictionary<string, PolicyRule> membersListedOnly = new(StringComparer.Ordinal);
    readonly HashSet<string> allowedTypeExceptions = new(StringComparer.Ordinal);

    PolicyProfile() { }

    /// <summary>"library" or "service".</summary>
    public string Name { get; private init; } = "";

    /// <summary>The profile for an exercise.</summary>
    /// <param name="kind">"library" or "service".</param>
    /// <param name="frameworks">Shared frameworks beyond Microsoft.NETCore.App the exercise allows.</param>
    /// <param name="packages">Packages the exercise allows (their namespaces become allowed, with the signature rules on top).</param>
    public static PolicyProfile For(string kind, IEnumerable<string> frameworks, IEnumerable<string> packages)
    {
        var service = kind == "service";
        var profile = new PolicyProfile { Name = kind };

        // Pure computation on values and on the candidate's own objects.
        profile.AllowTree("System.Buffers", "System.Collections", "System.Globalization", "System.Linq", "System.Numerics",
            "System.Text", "System.Threading", "System.Diagnostics.CodeAnalysis", "System.Diagnostics.Metrics");
        // Hashing, HMAC, random numbers: computation. Certificates load files and stores: refused below.
        profile.AllowTree("System.Security.Cryptography");
        // Attributes and markers the compiler and the framework read; the dangerous members are refused below.
        profile.Allow("System", "System.Runtime.CompilerServices", "System.Runtime.ExceptionServices", "System.Runtime.Versioning");

        // Mixed namespaces: only these types. Each is safe because it acts on memory, strings or the candidate's own objects.
        profile.AllowTypes("System.IO",
            // Streams over memory and text; readers and writers over a Stream (their path constructors fall to the path rule).
            "Stream", "MemoryStream", "BufferedStream", "StringReader", "StringWriter", "TextReader", "TextWriter",
            "StreamReader", "StreamWriter", "BinaryReader", "BinaryWriter", "SeekOrigin",
            // Path's pure string functions only (see the member list below).
            "Path",
            // Exceptions carry strings.
            "IOException", "EndOfStreamException", "InvalidDataException", "FileNotFoundException", "DirectoryNotFoundException",
            "PathTooLongException");
        profile.AllowTypes("System.Net",
            // Values a service passes around: status codes, addresses, headers. Nothing here opens a connection.
            "HttpStatusCode", "IPAddress", "IPEndPoint", "IPNetwork", "DnsEndPoint", "EndPoint", "WebUtility", "HttpVersion",
            "DecompressionMethods", "Cookie", "CookieCollection", "CookieContainer", "NetworkCredential", "ICredentials",
            "HttpRequestHeader", "HttpResponseHeader", "WebHeaderCollection", "ProtocolViolationException");
        profile.AllowTypes("System.Diagnostics",
            // Timing, tracing and metrics in memory; debugger display attributes. Process, FileVersionInfo, trace
            // listeners (which write files) and Debugger are not listed.
            "Stopwatch", "Debug", "ConditionalAttribute", "UnreachableException", "StackTrace", "StackFrame",
            "Activity", "ActivitySource", "ActivityListener", "ActivityContext", "ActivityKind", "ActivityStatusCode",
            "ActivityTraceId", "ActivitySpanId", "ActivityTraceFlags", "ActivityEvent", "ActivityLink", "ActivityTagsCollection",
            "ActivityIdFormat", "ActivitySamplingResult", "ActivityCreationOptions", "SampleActivity", "DiagnosticSource", "DiagnosticListener",
            "TagList", "DebuggerDisplayAttribute", "DebuggerStepThroughAttribute", "DebuggerHiddenAttribute", "DebuggerBrowsableAttribute",
            "DebuggerBrowsableState", "DebuggableAttribute", "DebuggerNonUserCodeAttribute", "DebuggerTypeProxyAttribute", "StackTraceHiddenAttribute");
        profile.AllowTypes("System.ComponentModel",
            // Annotations and change notifications. TypeDescriptor, descriptors and type converters hand out
            // reflection and invoke members by name: not listed.
            "DescriptionAttribute", "DefaultValueAttribute", "DisplayNameAttribute", "BrowsableAttribute", "EditorBrowsableAttribute",
            "EditorBrowsableState", "CategoryAttribute", "ReadOnlyAttribute", "INotifyPropertyChanged", "INotifyPropertyChanging",
            "PropertyChangedEventArgs", "PropertyChangedEventHandler", "PropertyChangingEventArgs", "PropertyChangingEventHandler",
            "CancelEventArgs", "Win32Exception", "InvalidEnumArgumentException");
        // Validation attributes and the validator (which reads the public properties of the object it is given).
        profile.AllowTree("System.ComponentModel.DataAnnotations");

        if (service) profile.AllowTree("System.Net.Http", "System.Net.Mime");
        if (service || frameworks.Contains("Microsoft.AspNetCore.App"))
            profile.AllowTree("Microsoft.AspNetCore", "Microsoft.Extensions", "Microsoft.Net.Http.Headers");
        foreach (var package in packages) profile.AllowTree(package);

        profile.DenyTree(PolicyRules.Reflection, "System.Reflection", "System.ComponentModel.Design");
        profile.DenyTree(PolicyRules.Interop, "System.Runtime.InteropServices", "Microsoft.Win32", "System.Runtime.Intrinsics");
        profile.DenyTree(PolicyRules.AssemblyLoading, "System.Runtime.Loader");
        profile.DenyTree(PolicyRules.CodeGeneration, "System.Linq.Expressions", "System.Reflection.Emit", "System.Dynamic", "Microsoft.CSharp");
        profile.DenyTree(PolicyRules.FileSystem, "System.IO.Pipes", "System.IO.MemoryMappedFiles", "System.IO.IsolatedStorage", "System.IO.Enumeration",
            "Microsoft.Extensions.FileProviders", "Microsoft.Extensions.FileSystemGlobbing", "Microsoft.Extensions.Configuration.UserSecrets",
            "Microsoft.Extensions.Configuration.KeyPerFile", "Microsoft.AspNetCore.StaticFiles", "System.Security.Cryptography.X509Certificates");
        profile.DenyTree(PolicyRules.Sockets, "System.Net.Sockets", "System.Net.NetworkInformation", "System.Net.Security", "System.Net.Quic",
            "Microsoft.AspNetCore.Server.Kestrel.Transport");
        if (!service) profile.DenyTree(PolicyRules.Network, "System.Net.Http");

        // Reading a member's or a type's name is not reflection in any sense that matters here (x.GetType().Name).
        profile.allowedMembers.UnionWith(["System.Reflection.MemberInfo.Name", "System.Reflection.MemberInfo.DeclaringType"]);
        // Reads attributes only (the JSON source generator hands attribute providers to System.Text.Json); a reflection
        // object behind it cannot be reached without naming a refused type.
        profile.allowedTypeExceptions.Add("System.Reflection.ICustomAttributeProvider");
        // The SDK's source generators ([GeneratedRegex], [JsonSerializable], [LoggerMessage]) mark their output with it.
        profile.allowedMembers.Add("System.CodeDom.Compiler.GeneratedCodeAttribute..ctor");
        // Path: string functions only. GetTempFileName creates a file and Exists asks the file system.
        profile.OnlyMembers(PolicyRules.FileSystem, "System.IO.Path",
        [
            "Combine", "Join", "GetFileName", "GetFileNameWithoutExtension", "GetExtension", "ChangeExtension", "HasExtension",
            "GetDirectoryName", "GetRelativePath", "IsPathRooted", "IsPathFullyQualified", "EndsInDirectorySeparator",
            "TrimEndingDirectorySeparator", "GetInvalidFileNameChars", "GetInvalidPathChars", "GetRandomFileName",
            "DirectorySeparatorChar", "AltDirectorySeparatorChar", "PathSeparator", "VolumeSeparatorChar",
        ]);

        profile.DenyTypes(PolicyRules.Process, "System.Diagnostics.Process", "System.Diagnostics.ProcessStartInfo", "System.Diagnostics.ProcessModule", "System.Diagnostics.ProcessThread");
        profile.DenyTypes(PolicyRules.Debugger, "System.Diagnostics.Debugger");
        profile.DenyTypes(PolicyRules.Reflection, "System.Activator", "System.RuntimeMethodHandle", "System.RuntimeFieldHandle", "System.RuntimeTypeHandle",
            "System.ModuleHandle", "System.TypedReference", "System.ArgIterator", "System.ComponentModel.TypeDescriptor", "System.ComponentModel.TypeConverter",
            "System.ComponentModel.PropertyDescriptor", "System.ComponentModel.EventDescriptor", "System.ComponentModel.MemberDescriptor",
            "System.ComponentModel.ICustomTypeDescriptor", "System.ComponentModel.TypeDescriptionProvider",
            "System.Runtime.CompilerServices.CallSite", "System.Runtime.CompilerServices.CallSiteBinder", "System.Runtime.CompilerServices.CallSiteHelpers",
            "System.Runtime.CompilerServices.CallSiteOps", "System.Runtime.CompilerServices.DynamicAttribute", "System.Runtime.CompilerServices.RuntimeOps",
            "System.Runtime.CompilerServices.Closure", "System.Runtime.CompilerServices.ExecutionScope", "System.Runtime.CompilerServices.IRuntimeVariables",
            "System.Runtime.CompilerServices.DebugInfoGenerator");
        profile.DenyTypes(PolicyRules.AssemblyLoading, "System.AppDomain", "System.AppDomainSetup");
        // CryptoConfig.CreateFromName builds any public type by name with the arguments given (a StreamWriter on
        // /proc/self/fd/1, say); the algorithm factories that take a name go through it (refused by SymbolJudge).
        profile.DenyTypes(PolicyRules.Reflection, "System.Security.Cryptography.CryptoConfig");
        // OpenSSL keys from engines and providers: native handles, and engines are native code loaded by name.
        profile.DenyTypes(PolicyRules.Interop, "System.Security.Cryptography.SafeEvpPKeyHandle");
        // Middleware that serves files from the web root. The web root is a string setting ("--webroot=/" in
        // WebApplicationOptions.Args, UseSetting("webroot", "/"), configuration), so it cannot be judged where it is
        // set; the code that reads the files can. A request pipeline can be invoked in process with a DefaultHttpContext
        // over a MemoryStream, so in a library exercise this would read any file. Exercises serve JSON, not files.
        profile.DenyTypes(PolicyRules.FileSystem, "Microsoft.AspNetCore.Builder.StaticFileExtensions", "Microsoft.AspNetCore.Builder.FileServerExtensions",
            "Microsoft.AspNetCore.Builder.DirectoryBrowserExtensions", "Microsoft.AspNetCore.Builder.DefaultFilesExtensions",
            "Microsoft.AspNetCore.Builder.StaticFilesEndpointRouteBuilderExtensions", "Microsoft.AspNetCore.Builder.StaticAssetsEndpointRouteBuilderExtensions",
            "Microsoft.AspNetCore.Builder.FileServerOptions", "Microsoft.AspNetCore.Builder.StaticFileOptions", "Microsoft.AspNetCore.Builder.DirectoryBrowserOptions",
            "Microsoft.AspNetCore.Builder.DefaultFilesOptions");
        profile.DenyTypes(PolicyRules.Unsafe, "System.Runtime.CompilerServices.Unsafe", "System.Runtime.CompilerServices.RuntimeHelpers",
            "System.Runtime.CompilerServices.UnsafeAccessorAttribute", "System.Runtime.CompilerServices.UnsafeAccessorTypeAttribute",
            "System.Runtime.CompilerServices.FixedAddressValueTypeAttribute", "System.Runtime.CompilerServices.SkipLocalsInitAttribute",
            "System.IO.UnmanagedMemoryStream", "System.IO.UnmanagedMemoryAccessor");
        profile.DenyTypes(PolicyRules.ModuleInitializer, "System.Runtime.CompilerServices.ModuleInitializerAttribute");
        profile.DenyTypes(PolicyRules.FileSystem, "System.IO.File", "System.IO.FileInfo", "System.IO.Directory", "System.IO.DirectoryInfo",
            "System.IO.FileSystemInfo", "System.IO.FileStream", "System.IO.DriveInfo", "System.IO.FileSystemWatcher", "System.IO.RandomAccess",
            "System.IO.UnixFileMode", "System.IO.FileStreamOptions", "System.Diagnostics.FileVersionInfo");
        profile.DenyTypes(PolicyRules.Network, "System.Net.WebRequest", "System.Net.WebClient", "System.Net.HttpWebRequest", "System.Net.FileWebRequest",
            "System.Net.FtpWebRequest", "System.Net.HttpListener", "System.Net.Dns", "System.Net.ServicePointManager");

        profile.DenyMembers(PolicyRules.Exit, "System.Environment.Exit", "System.Environment.FailFast");
        profile.DenyMembers(PolicyRules.Environment, "System.Environment.SetEnvironmentVariable", "System.Environment.CurrentDirectory");
        // Console: only the members that go through Console.Out/Error/In, which the runner points at capped buffers.
        // Title, Beep, Clear, cursor and window members write escape sequences straight to the terminal's file
        // descriptor (the runner's private channel), and ReadKey/KeyAvailable read the real stdin (the grader's
        // control answers). Colours are listed: .NET writes nothing for them when the output is redirected.
        profile.OnlyMembers(PolicyRules.ConsoleStreams, "System.Console",
        [
            "Write", "WriteLine", "Out", "Error", "In", "Read", "ReadLine", "IsOutputRedirected", "IsErrorRedirected", "IsInputRedirected",
            "OutputEncoding", "InputEncoding", "CancelKeyPress", "ForegroundColor", "BackgroundColor", "ResetColor",
        ]);
        profile.DenyMembers(PolicyRules.ConsoleStreams, "System.Console.SetOut", "System.Console.SetError", "System.Console.SetIn",
            "System.Console.OpenStandardOutput", "System.Console.OpenStandardError", "System.Console.OpenStandardInput");
        profile.DenyMembers(PolicyRules.AssemblyLoading, "System.AppContext.SetSwitch", "System.AppContext.SetData");
        // Memory that is not cleared may still hold what other code freed (the runner's channel lines among it).
        profile.DenyMembers(PolicyRules.Unsafe, "System.GC.AllocateUninitializedArray", "System.GC.AllocateArray");
        // Named (cross-process) synchronisation objects live in files; unnamed ones are fine.
        profile.DenyMembers(PolicyRules.FileSystem, "System.Threading.Mutex.OpenExisting", "System.Threading.Mutex.TryOpenExisting",
            "System.Threading.Semaphore.OpenExisting", "System.Threading.Semaphore.TryOpenExisting",
            "System.Threading.EventWaitHandle.OpenExisting", "System.Threading.EventWaitHandle.TryOpenExisting");
        profile.DenyMembers(PolicyRules.Interop, "System.Threading.WaitHandle.Handle", "System.Threading.WaitHandle.SafeWaitHandle",
            "System.Threading.ThreadPool.BindHandle", "System.Threading.ThreadPool.UnsafeQueueNativeOverlapped");
        profile.DenyMembers(PolicyRules.Reflection,
            "System.Type.GetMethod", "System.Type.GetMethods", "System.Type.GetField", "System.Type.GetFields", "System.Type.GetProperty",
            "System.Type.GetProperties", "System.Type.GetMember", "System.Type.GetMembers", "System.Type.GetConstructor", "System.Type.GetConstructors",
            "System.Type.GetEvent", "System.Type.GetEvents", "System.Type.GetNestedType", "System.Type.GetNestedTypes", "System.Type.InvokeMember",
            "System.Type.GetType", "System.Type.GetTypeFromProgID", "System.Type.GetTypeFromCLSID", "System.Type.MakeGenericType",
            "System.Type.GetInterfaceMap", "System.Type.GetDefaultMembers", "System.Type.FindMembers", "System.Type.TypeInitializer",
            "System.Type.TypeHandle", "System.Type.Assembly", "System.Type.Module", "System.Type.GetRuntimeMethods", "System.Type.GetRuntimeFields",
            "System.Type.ReflectionOnlyGetType", "System.Type.MakeGenericMethodParameter", "System.Type.GetMethodImpl",
            "System.Delegate.DynamicInvoke", "System.Delegate.Method", "System.Delegate.Target", "System.Delegate.CreateDelegate",
            "System.Array.CreateInstance", "System.Array.CreateInstanceFromArrayType", "System.Exception.TargetSite",
            "System.Diagnostics.StackFrame.GetMethod");
        return profile;
    }

    /// <summary>
    /// What this profile refuses, as candidates read it (<see cref="PolicyText"/>): every rule one of its entries
    /// names, and the rules the source pass applies to every submission, in <see cref="PolicyRules.All"/>'s order.
    /// </summary>
    public IReadOnlyList<PolicyRule> Refuses =>
        PolicyRules.All.Where(rule => PolicyRules.Syntactic.Contains(rule) || deniedTrees.Any(d => d.Rule == rule)
            || deniedTypes.ContainsValue(rule) || deniedMembers.ContainsValue(rule) || membersListedOnly.ContainsValue(rule)).ToList();

    void Allow(params string[] namespaces) => allowedExact.AddRange(namespaces);
    void AllowTree(params string[] namespaces) => allowedTrees.AddRange(namespaces);
    void AllowTypes(string ns, params string[] types) => allowedTypesIn[ns] = types.Select(t => ns + "." + t).ToHashSet(StringComparer.Ordinal);
    void DenyTree(PolicyRule rule, params string[] namespaces) => deniedTrees.AddRange(namespaces.Select(n => (n, rule)));
    void DenyTypes(PolicyRule rule, params string[] types) { foreach (var t in types) deniedTypes[t] = rule; }
    void DenyMembers(PolicyRule rule, params string[] members) { foreach (var m in members) deniedMembers[m] = rule; }

    /// <summary>The type may be named, but of its members only these may be used; any other breaks <paramref name="rule"/>.</summary>
    void OnlyMembers(PolicyRule rule, string type, string[] members)
    {
        membersListedOnly[type] = rule;
        allowedMembers.UnionWith(members.Select(m => type + "." + m));
    }

    /// <summary>The rule a reference breaks by its name, or null when the name is allowed.</summary>
    /// <param name="namespaceName">Namespace of the (outermost) type, "" for the global namespace.</param>
    /// <param name="typeName">Full type name with namespace, nested types joined by '.', no generic arity.</param>
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
            if (membersListedOnly.TryGetValue(typeName, out rule)) return rule;
        }
        if (allowedTypeExceptions.Contains(typeName)) return null;
        if (deniedTypes.TryGetValue(typeName, out var typeRule)) return typeRule;
        foreach (var (denied, rule) in deniedTrees)
            if (InTree(namespaceName, denied)) return rule;
        if (allowedTypesIn.TryGetValue(namespaceName, out var listed))
            return listed.Contains(OutermostType(namespaceName, typeName)) ? null : PolicyRules.OutsideAllowList;
        if (allowedExact.Contains(namespaceName)) return null;
        foreach (var allowed in allowedTrees)
            if (InTree(namespaceName, allowed)) return null;
        return PolicyRules.OutsideAllowList;
    }

    /// <summary>
    /// Whether a type is refused on purpose (not merely unlisted): such a type may not appear in the signature of
    /// anything candidate code uses, so an allowed member cannot hand one out or take one in.
    /// </summary>
    public PolicyRule? DeniedOutright(string namespaceName, string typeName) =>
        Judge(namespaceName, typeName, null) is { } rule && rule != PolicyRules.OutsideAllowList ? rule : null;

    static string OutermostType(string ns, string typeName)
    {
        var rest = typeName.Length > ns.Length ? typeName[(ns.Length + 1)..] : typeName;
        var dot = rest.IndexOf('.');
        return ns + "." + (dot < 0 ? rest : rest[..dot]);
    }

    static bool InTree(string name, string root) =>
        name == root || (name.Length > root.Length && name.StartsWith(root, StringComparison.Ordinal) && name[root.Length] == '.');

    static string StripAccessorPrefix(string member) =>
        member.StartsWith("get_", StringComparison.Ordinal) || member.StartsWith("set_", StringComparison.Ordinal) ? member[4..]
        : member.StartsWith("add_", StringComparison.Ordinal) ? member[4..]
        : member.StartsWith("remove_", StringComparison.Ordinal) ? member[7..]
        : member;
}
