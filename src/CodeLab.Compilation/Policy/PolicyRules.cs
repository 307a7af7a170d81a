namespace CodeLab.Compilation.Policy;

/// <summary>The rules, each with the sentence a candidate reads when their code breaks it.</summary>
public static class PolicyRules
{
    public static readonly PolicyRule Process = new("process", "Starting or inspecting processes is not allowed in a submission.");
    public static readonly PolicyRule Reflection = new("reflection", "Reflection is not allowed: the grader tests what your code does and refuses code that inspects or rewires code at run time.");
    public static readonly PolicyRule Dynamic = new("dynamic", "`dynamic` is not allowed: it compiles to run-time reflection.");
    public static readonly PolicyRule CodeGeneration = new("code-generation", "Generating code at run time (expression compilation, Reflection.Emit) is not allowed.");
    public static readonly PolicyRule Interop = new("interop", "Calling native code (P/Invoke, Marshal, native handles) is not allowed.");
    public static readonly PolicyRule Unsafe = new("unsafe", "Unsafe code, pointers and raw memory access are not allowed.");
    public static readonly PolicyRule Exit = new("process-exit", "Ending the process (Environment.Exit, Environment.FailFast) is not allowed: the test run would end with it.");
    public static readonly PolicyRule ConsoleStreams = new("console-streams", "Replacing or opening the console's own streams is not allowed; Console.Write and Console.WriteLine are fine.");
    public static readonly PolicyRule AssemblyLoading = new("assembly-loading", "Loading assemblies, app domains or changing runtime switches is not allowed.");
    public static readonly PolicyRule ModuleInitializer = new("module-initializer", "Module initialisers are not allowed: they would run before the tests do.");
    public static readonly PolicyRule FileSystem = new("file-system", "Files and directories are not allowed in this exercise: keep state in memory (or in Redis where the exercise provides it).");
    public static readonly PolicyRule Network = new("network", "Opening network connections is not part of this exercise.");
    public static readonly PolicyRule Sockets = new("sockets", "Raw sockets are not allowed: use HttpClient or the Redis client the exercise provides.");
    public static readonly PolicyRule Environment = new("environment", "Changing environment variables or the working directory is not allowed.");
    public static readonly PolicyRule Debugger = new("debugger", "Debugger calls are not allowed.");
    public static readonly PolicyRule OutsideAllowList = new("outside-allow-list", "This API is outside what the exercise allows.");
}
