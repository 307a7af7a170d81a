namespace CodeLab.Compilation.Policy;

/// <summary>
/// The rules, each with what it refuses (one line of the list candidates read in the statement, the workspace README
/// and every rejection message: <see cref="PolicyText"/> renders the list from <see cref="PolicyProfile.Refuses"/>)
/// and what to do instead. Only the candidate's own calls are judged; what the framework does inside (the reflection
/// behind controllers, UseMiddleware&lt;T&gt; or options binding) is not.
/// </summary>
public static class PolicyRules
{
    public static readonly PolicyRule Process = new("process", "starting or inspecting processes (Process, ProcessStartInfo)",
        "Do the work in your own code.");
    public static readonly PolicyRule Reflection = new("reflection", "reflection in your own code (inspecting or invoking code at run time, such as Type.GetMethod or Activator, or handing a System.Type to an API that acts on it)",
        "Call your code directly, and use the generic overload where one exists (AddSingleton<TService, TImplementation>(), GetRequiredService<T>(), JsonSerializer.Deserialize<T>()). The framework's own reflection (controllers, UseMiddleware<T>, options binding) is fine.");
    public static readonly PolicyRule Dynamic = new("dynamic", "dynamic, which compiles to run-time reflection",
        "Use static types.");
    public static readonly PolicyRule CodeGeneration = new("code-generation", "generating code at run time (expression compilation, Reflection.Emit, dynamic binders)",
        "Write the code out; source generators such as [GeneratedRegex] run at compile time and are fine.");
    public static readonly PolicyRule Interop = new("interop", "native code and native handles (P/Invoke, extern, Marshal, SafeHandle, OS handles)",
        "Use managed APIs.");
    public static readonly PolicyRule Unsafe = new("unsafe", "unsafe code, pointers, raw or uninitialised memory",
        "Use arrays, Span<T> and Memory<T>.");
    public static readonly PolicyRule Exit = new("process-exit", "ending the process (Environment.Exit, Environment.FailFast)",
        "Throw an exception or return instead: the test run would end with it.");
    public static readonly PolicyRule ConsoleStreams = new("console-streams", "replacing or opening the console's own streams, or writing to the terminal directly (Console.SetOut, Title, Beep, Clear, cursor, ReadKey)",
        "Console.Write, Console.WriteLine and ILogger are fine.");
    public static readonly PolicyRule AssemblyLoading = new("assembly-loading", "loading assemblies, app domains, or changing runtime switches (AppContext.SetSwitch)",
        "Everything your code needs is referenced already.");
    public static readonly PolicyRule ModuleInitializer = new("module-initializer", "module initialisers ([ModuleInitializer]), which would run before the tests do",
        "Initialise in a constructor or a static field.");
    public static readonly PolicyRule FileSystem = new("file-system", "files, directories and file paths (File, Directory, FileStream, static files)",
        "Keep state in memory (or in Redis where the exercise provides it); streams over memory (MemoryStream, StringReader) and Path's string functions are fine.");
    public static readonly PolicyRule Network = new("network", "network access other than what the exercise provides (WebRequest, WebClient, HttpListener, Dns; HttpClient outside service exercises)",
        "A service exercise uses HttpClient and the Redis client it provides; a library exercise needs no network.");
    public static readonly PolicyRule Sockets = new("sockets", "raw sockets and listeners (Socket, TcpClient, TcpListener)",
        "Use HttpClient or the Redis client the exercise provides.");
    public static readonly PolicyRule Environment = new("environment", "changing environment variables or the working directory",
        "Reading configuration and environment variables is fine.");
    public static readonly PolicyRule Debugger = new("debugger", "debugger calls (Debugger.Break, Debugger.Launch)",
        "Log what you need to see instead.");
    public static readonly PolicyRule ReservedNamespace = new("reserved-namespace", "declaring your own types in System.Runtime, System.Security, Microsoft.CodeAnalysis or another refused namespace",
        "The compiler and the runtime give some names there special powers (memory layout, module initialisers, access checks); put your types in your own namespace.");
    public static readonly PolicyRule OutsideAllowList = new("outside-allow-list", "APIs outside what the exercise allows",
        "The statement's ground rules list what your code may use.");

    /// <summary>Every rule, in the order candidates read them.</summary>
    public static readonly IReadOnlyList<PolicyRule> All =
    [
        Process, Reflection, Dynamic, CodeGeneration, Interop, Unsafe, Exit, ConsoleStreams, AssemblyLoading, ModuleInitializer,
        FileSystem, Network, Sockets, Environment, Debugger, ReservedNamespace, OutsideAllowList,
    ];

    /// <summary>Rules the source pass applies to the code's own syntax and declarations, whatever the profile.</summary>
    internal static readonly IReadOnlyList<PolicyRule> Syntactic = [Dynamic, Unsafe, Interop, ReservedNamespace];
}
