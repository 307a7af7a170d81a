using System.Security.Cryptography;
using System.Text;

namespace CodeLab.Sandbox;

/// <summary>
/// Names the sandbox image by the content of its definition: the base recipe and runtime version give the
/// base tag, the Dockerfile and the runner's files give the image tag. A changed definition means a new
/// tag, so the image is rebuilt exactly when it must be and a stale image is never used.
/// </summary>
public sealed record SandboxImage
{
    public const string Repository = "codelab-sandbox";
    public const string BaseRepository = "codelab-base";

    public required string DefinitionDirectory { get; init; }
    public required string RunnerDirectory { get; init; }
    public required string RuntimeVersion { get; init; }
    public required string BaseTag { get; init; }
    public required string Tag { get; init; }

    /// <summary>The runtime this process runs on: the image carries the same one.</summary>
    public static string CurrentRuntimeVersion => Environment.Version.ToString(3);

    /// <summary>Computes the tags from the files on disk.</summary>
    /// <param name="definitionDirectory">The repository's sandbox/ folder.</param>
    /// <param name="runnerDirectory">The runner's build output (copied into the image).</param>
    /// <param name="runtimeVersion">The .NET runtime version the image carries.</param>
    public static SandboxImage Describe(string definitionDirectory, string runnerDirectory, string runtimeVersion)
    {
        if (!File.Exists(Path.Combine(definitionDirectory, "Dockerfile")))
            throw new SandboxSetupException($"No sandbox definition at {definitionDirectory} (expected a Dockerfile there).");
        if (!File.Exists(Path.Combine(runnerDirectory, "CodeLab.Runner.dll")))
            throw new SandboxSetupException($"The sandbox runner is not built ({runnerDirectory} has no CodeLab.Runner.dll): build src/CodeLab.Runner, or run ./codelab which builds it.");

        using var baseHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(baseHash, "runtime", Encoding.UTF8.GetBytes(runtimeVersion));
        AppendFolder(baseHash, Path.Combine(definitionDirectory, "base"));
        var baseTag = $"{BaseRepository}:{Hex(baseHash)}";

        using var imageHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(imageHash, "base", Encoding.UTF8.GetBytes(baseTag));
        Append(imageHash, "Dockerfile", File.ReadAllBytes(Path.Combine(definitionDirectory, "Dockerfile")));
        AppendFolder(imageHash, runnerDirectory);

        return new SandboxImage
        {
            DefinitionDirectory = definitionDirectory,
            RunnerDirectory = runnerDirectory,
            RuntimeVersion = runtimeVersion,
            BaseTag = baseTag,
            Tag = $"{Repository}:{Hex(imageHash)}",
        };
    }

    static void AppendFolder(IncrementalHash hash, string folder)
    {
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(path => (Relative: Path.GetRelativePath(folder, path).Replace('\\', '/'), Path: path))
            .OrderBy(f => f.Relative, StringComparer.Ordinal);
        foreach (var (relative, path) in files) Append(hash, relative, File.ReadAllBytes(path));
    }

    static void Append(IncrementalHash hash, string name, byte[] content)
    {
        hash.AppendData(Encoding.UTF8.GetBytes(name));
        hash.AppendData([0]);
        hash.AppendData(BitConverter.GetBytes((long)content.Length));
        hash.AppendData(content);
    }

    static string Hex(IncrementalHash hash) => Convert.ToHexStringLower(hash.GetHashAndReset())[..12];
}

/// <summary>The sandbox image cannot be described or built; the message says what to do.</summary>
public sealed class SandboxSetupException(string message, Exception? inner = null) : Exception(message, inner);
