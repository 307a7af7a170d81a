using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.CodeAnalysis;

namespace CodeLab.Compilation;

/// <summary>
/// The assemblies code is compiled against: the reference packs of the installed .NET SDK (found beside the
/// running dotnet, never a hard-coded path or version) and the libraries the sandbox image carries.
/// References are loaded once per process: a long-lived grader pays for them once.
/// </summary>
public sealed class ReferenceAssemblies
{
    static readonly ConcurrentDictionary<string, MetadataReference> Cache = new(StringComparer.Ordinal);

    readonly string libraryDirectory;
    readonly ConcurrentDictionary<string, IReadOnlyList<MetadataReference>> frameworks = new(StringComparer.Ordinal);

    /// <param name="libraryDirectory">Folder with the library assemblies the sandbox image carries (the runner's build output).</param>
    public ReferenceAssemblies(string libraryDirectory)
    {
        if (!Directory.Exists(libraryDirectory))
            throw new CompilationSetupException($"Library folder {libraryDirectory} does not exist: build src/CodeLab.Runner (./codelab builds it).");
        this.libraryDirectory = libraryDirectory;
        DotnetRoot = FindDotnetRoot();
    }

    public string DotnetRoot { get; }

    /// <summary>The reference assemblies of a shared framework (Microsoft.NETCore.App, Microsoft.AspNetCore.App).</summary>
    public IReadOnlyList<MetadataReference> Framework(string name) => frameworks.GetOrAdd(name, LoadFramework);

    /// <summary>Library assemblies by file name without extension, e.g. "xunit.v3.assert".</summary>
    public IReadOnlyList<MetadataReference> Libraries(IEnumerable<string> names) =>
        names.Select(name =>
        {
            var path = Path.Combine(libraryDirectory, name + ".dll");
            if (!File.Exists(path)) throw new CompilationSetupException($"Library {name}.dll is not in {libraryDirectory}: is it referenced by src/CodeLab.Runner?");
            return Load(path);
        }).ToList();

    IReadOnlyList<MetadataReference> LoadFramework(string name) =>
        Directory.GetFiles(Path.Combine(PackFolder(name), "ref", $"net{Environment.Version.Major}.0"), "*.dll").Order(StringComparer.Ordinal).Select(Load).ToList();

    /// <summary>
    /// A source generator the SDK runs for every project of a framework (e.g. System.Text.RegularExpressions.Generator
    /// for [GeneratedRegex]), from the reference pack's analyzers folder; null when the pack has no such file.
    /// </summary>
    public ISourceGenerator? Generator(string framework, string assemblyName)
    {
        var path = Path.Combine(PackFolder(framework), "analyzers", "dotnet", "cs", assemblyName + ".dll");
        if (!File.Exists(path)) return null;
        return Generators.GetOrAdd(path, p =>
        {
            var reference = new Microsoft.CodeAnalysis.Diagnostics.AnalyzerFileReference(p, GeneratorLoader.Instance);
            return reference.GetGenerators(LanguageNames.CSharp).ToList();
        }).FirstOrDefault();
    }

    static readonly ConcurrentDictionary<string, IReadOnlyList<ISourceGenerator>> Generators = new(StringComparer.Ordinal);

    sealed class GeneratorLoader : Microsoft.CodeAnalysis.IAnalyzerAssemblyLoader
    {
        public static readonly GeneratorLoader Instance = new();
        public void AddDependencyLocation(string fullPath) { }
        public System.Reflection.Assembly LoadFromPath(string fullPath) => System.Runtime.Loader.AssemblyLoadContext.Default.LoadFromAssemblyPath(fullPath);
    }

    string PackFolder(string name)
    {
        var packRoot = Path.Combine(DotnetRoot, "packs", name + ".Ref");
        if (!Directory.Exists(packRoot))
            throw new CompilationSetupException($"The .NET SDK at {DotnetRoot} has no {name} reference pack ({packRoot}). Install the .NET SDK {Environment.Version.Major}.");
        var runtime = Environment.Version;
        // The pack matching this runtime, else the newest of the same major version.
        var version = Directory.GetDirectories(packRoot)
            .Select(d => (Dir: d, Ok: Version.TryParse(Path.GetFileName(d), out var v), Version: v))
            .Where(x => x.Ok && x.Version!.Major == runtime.Major)
            .OrderByDescending(x => x.Version!.Build == runtime.Build && x.Version.Minor == runtime.Minor)
            .ThenByDescending(x => x.Version)
            .Select(x => x.Dir)
            .FirstOrDefault()
            ?? throw new CompilationSetupException($"No {name} reference pack for .NET {runtime.Major} under {packRoot}.");
        return version;
    }

    static MetadataReference Load(string path) => Cache.GetOrAdd(path, p => MetadataReference.CreateFromFile(p));

    static string FindDotnetRoot()
    {
        // .../dotnet/shared/Microsoft.NETCore.App/<version>/ -> .../dotnet
        var runtimeDir = RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar);
        var root = Directory.GetParent(runtimeDir)?.Parent?.Parent?.FullName;
        if (root is null || !Directory.Exists(Path.Combine(root, "packs")))
            throw new CompilationSetupException($"Cannot find the .NET SDK's reference packs from the runtime at {runtimeDir}: CodeLab needs the .NET SDK, not only the runtime.");
        return root;
    }
}

/// <summary>The machine lacks something compilation needs; the message says what to install or build.</summary>
public sealed class CompilationSetupException(string message) : Exception(message);
