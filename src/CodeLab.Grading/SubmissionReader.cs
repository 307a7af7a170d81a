using System.Security.Cryptography;
using System.Text;
using CodeLab.Compilation;
using CodeLab.Exercises;

namespace CodeLab.Grading;

/// <summary>The candidate's source files, as the grader takes them from the handed-in folder.</summary>
public sealed record Submission(string Folder, IReadOnlyList<SourceFile> Files, string Sha256, IReadOnlyDictionary<string, long> Sizes);

/// <summary>
/// Stage 1: takes the candidate's .cs files from their workspace folder, and nothing else: not their copy
/// of the tests (the grader uses its own), not bin/obj, not project files (a project file can run anything).
/// Guards the compiler: caps on file count and sizes, binary or non-UTF-8 files refused with a clear message.
/// </summary>
public static class SubmissionReader
{
    public const int MaxFiles = 200;
    public const long MaxFileBytes = 256 * 1024;
    public const long MaxTotalBytes = 2 * 1024 * 1024;
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static Submission Read(string folder)
    {
        if (!Directory.Exists(folder)) throw new BadInputException($"Submission folder {folder} does not exist.");
        var root = Path.GetFullPath(folder);
        var files = new List<SourceFile>();
        var sizes = new SortedDictionary<string, long>(StringComparer.Ordinal);
        long total = 0;
        foreach (var path in Enumerate(root))
        {
            var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
            var info = new FileInfo(path);
            if (info.LinkTarget is not null) throw new BadInputException($"{relative} is a symbolic link; hand in real files only.");
            if (info.Length > MaxFileBytes) throw new BadInputException($"{relative} is {info.Length / 1024} KB; a source file may be at most {MaxFileBytes / 1024} KB.");
            total += info.Length;
            if (total > MaxTotalBytes) throw new BadInputException($"The submission's .cs files exceed {MaxTotalBytes / 1024 / 1024} MB in total; hand in source code only.");
            if (files.Count == MaxFiles) throw new BadInputException($"The submission has more than {MaxFiles} .cs files.");
            var bytes = File.ReadAllBytes(path);
            if (Array.IndexOf(bytes, (byte)0) >= 0) throw new BadInputException($"{relative} is a binary file, not C# source.");
            string text;
            try
            {
                text = StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw new BadInputException($"{relative} is not UTF-8 text; save it as UTF-8.");
            }
            files.Add(new SourceFile(relative, text.TrimStart('\uFEFF')));
            sizes[relative] = bytes.Length;
        }
        if (files.Count == 0) throw new BadInputException($"No .cs files in {folder} (outside tests/, bin/ and obj/): is this the workspace folder?");
        return new Submission(root, files, Fingerprint(files), sizes);
    }

    static IEnumerable<string> Enumerate(string root)
    {
        var pending = new Stack<string>([root]);
        var found = new List<string>();
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            foreach (var sub in Directory.GetDirectories(dir))
            {
                var name = Path.GetFileName(sub);
                var isTopLevelTests = dir == root && name == WorkspaceWriter.TestsFolder;
                if (isTopLevelTests || name is "bin" or "obj" || name.StartsWith('.')) continue;
                if (new DirectoryInfo(sub).LinkTarget is not null) continue; // never follow links out of the folder
                pending.Push(sub);
            }
            found.AddRange(Directory.GetFiles(dir, "*.cs"));
        }
        return found.Order(StringComparer.Ordinal);
    }

    /// <summary>Identifies the submission's content (paths and text), so a grade can be traced to exactly what was graded.</summary>
    static string Fingerprint(IEnumerable<SourceFile> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(file.Path + "\0"));
            hash.AppendData(Encoding.UTF8.GetBytes(file.Text + "\0"));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
