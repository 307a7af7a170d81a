namespace CodeLab.Compilation.Policy;

/// <summary>The rules, each with the sentence a candidate reads when their code breaks it: what is refused and what to do instead.
/// Only the candidate's own calls are judged; what the framework does inside (ASP.NET Core's own reflection, say) is not.</summary>
public static class PolicyRules
{
    public static readonly PolicyRule Process = new("process", "Starting or inspecting processes is not allowed in a submission; do the work in your own code.");
    public static readonly PolicyRule Reflection = new("reflection", "Reflection is not allowed (inspecting or invoking code at run time, or handing a System.Type to an API that acts on it): call your code directly, and use the generic overload where one exists (AddSingleton<TService, TImplementation>(), GetRequiredService<T>(), JsonSerializer.Deserialize<T>()).");
    public static readonly PolicyRule Dynamic = new("dynamic", "`dynamic` is not allowed: it compiles to run-time reflection. Use static types.");
    public static readonly PolicyRule CodeGeneration = new("code-generation", "Generating code at run time (expression compilation, Reflection.Emit, dynamic binders) is not allowed; write the code out.");
    public static readonly PolicyRule Interop = new("interop", "Calling native code or using native handles (P/Invoke, Marshal, SafeHandle, OS handles) is not allowed; use managed APIs.");
    public static readonly PolicyRule Unsafe = new("unsafe", "Unsafe code, pointers, raw or uninitialised memory are not allowed; use arrays, Span<T> and Memory<T>.");
    public static readonly PolicyRule Exit = new("process-exit", "Ending the process (Environment.Exit, Environment.FailFast) is not allowed: the test run would end with it. Throw an exception or return instead.");
    public static readonly PolicyRule ConsoleStreams = new("console-streams", "Replacing or opening the console's own streams, or writing to the terminal directly (Title, Beep, Clear, cursor, ReadKey), is not allowed; Console.Write, Console.WriteLine and ILogger are fine.");
    public static readonly PolicyRule AssemblyLoading = new("assembly-loading", "Loading assemblies, app domains or changing runtime switches is not allowed.");
    public static readonly PolicyRule ModuleInitializer = new("module-initializer", "Module initialisers are not allowed: they would run before the tests do. Initialise in a constructor or a static field.");
    public static readonly PolicyRule FileSystem = new("file-system", "Files, directories and paths are not allowed in this exercise: keep state in memory (or in Redis where the exercise provides it); streams over memory (MemoryStream, StringReader) and Path's string functions are fine.");
    public static readonly PolicyRule Network = new("network", "Opening network connections this way is not part of this exercise; a service exercise uses HttpClient and the Redis client it provides.");
    public static readonly PolicyRule Sockets = new("sockets", "Raw sockets and listeners are not allowed: use HttpClient or the Redis client the exercise provides.");
    public static readonly PolicyRule Environment = new("environment", "Changing environment variables or the working directory is not allowed; reading configuration is fine.");
    public static readonly PolicyRule Debugger = new("debugger", "Debugger calls are not allowed.");
    public static readonly PolicyRule ReservedNamespace = new("reserved-namespace", "Declaring your own types in the framework's System.Runtime, System.Security, Microsoft.CodeAnalysis or refused namespaces is not allowed: the compiler and the runtime give some names there special powers (memory layout, module initialisers, access checks). Put your types in your own namespace.");
    public static readonly PolicyRule OutsideAllowList = new("outside-allow-list", "This API is outside what the exercise allows (see the statement's list of allowed APIs).");
}
