using System.Security.Cryptography;
using System.Text;
using CodeLab.Compilation;
using CodeLab.Exercises;
using CodeLab.Reports;

namespace CodeLab.Grading;

/// <summary>
/// Stage 1: takes the candidate's .cs files from their workspace folder, and nothing else: not their copy
/// of the tests (the grader uses its own), not bin/obj, not project files (a project file can run anything).
/// Guards the compiler: caps on file count and sizes, binary or non-UTF-8 files refused with a clear message.
///
/// The folder is the candidate's, read by the grader outside any sandbox, so it is read as hostile: once, into
/// memory (the grader's own copy: nothing reads the folder again), through handles that follow no link and never
/// wait (<see cref="NoFollowFolder"/>). Only regular files with exactly one name are read: a hard link could be
/// a host file's second name. A link, FIFO, socket or device where the grader would look, an unreadable entry or
/// a name that cannot be shown as plain text is bad input, named safely in one line, never a crash or a hang.
/// Folders the grader skips (bin/, obj/, the top-level tests/, dot-folders) are neither opened nor listed, and an
/// entry of any other kind under one of those names is skipped too: what is never opened cannot hang, leak or
/// crash anything. Other files that are not .cs are not opened either, whatever their name.
/// </summary>
public static class SubmissionReader
{
    public const int MaxFiles = 200;
    public const long MaxFileBytes = 256 * 1024;
    public const long MaxTotalBytes = 2 * 1024 * 1024;
    /// <summary>Entries listed in the folders the grader walks, and how deep it walks: a bound on the work a folder can cause.</summary>
    public const int MaxEntries = 10_000;
    public const int MaxDepth = 32;
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static Submission Read(string folder)
    {
        var root = Path.GetFullPath(folder);
        var intake = new Intake();
        try
        {
            using (var top = OpenRoot(folder))
                intake.Walk(top, "", 0);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            throw new InfrastructureException($"The grader cannot read hand-ins on this system: {ex.Message}", ex);
        }
        if (intake.Files.Count == 0)
            throw new BadInputException($"No .cs files in {CandidateText.Visible(folder)} (outside tests/, bin/ and obj/): is this the workspace folder?");
        var files = intake.Files.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        return new Submission(root, files, Fingerprint(files), intake.Sizes);
    }

    static NoFollowFolder OpenRoot(string folder)
    {
        try
        {
            return NoFollowFolder.OpenRoot(folder);
        }
        catch (IOException ex)
        {
            throw new BadInputException(ex.HResult == Errno.NoEntry
                ? $"Submission folder {CandidateText.Visible(folder)} does not exist."
                : $"Submission folder {CandidateText.Visible(folder)} cannot be read as a folder: {ex.Message}.");
        }
    }

    /// <summary>One intake: what has been taken so far, against the caps.</summary>
    sealed class Intake
    {
        public readonly List<SourceFile> Files = [];
        public readonly SortedDictionary<string, long> Sizes = new(StringComparer.Ordinal);
        long total;
        int entries;

        /// <param name="prefix">The folder's path in the hand-in, shown safely, with a trailing slash ("" at the top).</param>
        public void Walk(NoFollowFolder folder, string prefix, int depth)
        {
            IReadOnlyList<(byte[] Name, FileStatus Status)> listed;
            try
            {
                listed = folder.List(MaxEntries - entries + 1);
            }
            catch (IOException ex)
            {
                throw Refuse(prefix.Length == 0 ? "The submission folder" : prefix.TrimEnd('/'), $"cannot be read: {ex.Message}", "hand in a plain folder of source files");
            }
            entries += listed.Count;
            if (entries > MaxEntries)
                throw new BadInputException($"The submission has more than {MaxEntries} files and folders outside tests/, bin/ and obj/; hand in source code only.");
            foreach (var (name, status) in listed)
            {
                var shown = prefix + CandidateText.Visible(name);
                if (status.Kind != FileKind.Regular && IsSkipped(name, depth)) continue;
                switch (status.Kind)
                {
                    case FileKind.Folder:
                        var path = PlainName(name, shown, prefix);
                        if (depth + 1 >= MaxDepth) throw Refuse(shown, $"is nested more than {MaxDepth} folders deep", "hand in a flatter folder");
                        NoFollowFolder inner;
                        try
                        {
                            inner = folder.OpenFolder(name);
                        }
                        catch (IOException ex)
                        {
                            throw Refuse(shown, $"cannot be opened as a folder: {ex.Message}", "hand in plain folders, no links");
                        }
                        using (inner) Walk(inner, path + "/", depth + 1);
                        break;
                    case FileKind.Regular:
                        if (name.AsSpan().EndsWith(".cs"u8)) Take(folder, name, PlainName(name, shown, prefix), shown);
                        break;
                    default:
                        throw Refuse(shown, Describe(status.Kind), "hand in real files and folders only");
                }
            }
        }

        void Take(NoFollowFolder folder, byte[] name, string path, string shown)
        {
            byte[] bytes;
            try
            {
                using var file = folder.Open(name);
                // Judged by the handle: this is what will be read, whatever the name points to now.
                var status = file.Status;
                if (status.Kind != FileKind.Regular) throw Refuse(shown, Describe(status.Kind), "hand in real files only");
                if (status.Links != 1)
                    throw Refuse(shown, $"is a hard link (one file with {status.Links} names, which may be outside the folder)", "hand in a copy of the file instead");
                if (status.Size > MaxFileBytes) throw new BadInputException($"{shown} is {status.Size / 1024} KB; a source file may be at most {MaxFileBytes / 1024} KB.");
                total += status.Size;
                if (total > MaxTotalBytes) throw new BadInputException($"The submission's .cs files exceed {MaxTotalBytes / 1024 / 1024} MB in total; hand in source code only.");
                if (Files.Count == MaxFiles) throw new BadInputException($"The submission has more than {MaxFiles} .cs files.");
                bytes = file.ReadAll(MaxFileBytes);
            }
            catch (IOException ex)
            {
                throw ex.HResult switch
                {
                    Errno.Loop => Refuse(shown, "is a symbolic link", "hand in real files only"),
                    Errno.NoDeviceOrAddress => Refuse(shown, "is a socket or a device, not a file", "hand in real files only"),
                    _ => Refuse(shown, $"cannot be read: {ex.Message}", "hand in plain, readable files"),
                };
            }
            if (Array.IndexOf(bytes, (byte)0) >= 0) throw new BadInputException($"{shown} is a binary file, not C# source.");
            string text;
            try
            {
                text = StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw new BadInputException($"{shown} is not UTF-8 text; save it as UTF-8.");
            }
            Files.Add(new SourceFile(path, text.TrimStart('\uFEFF')));
            Sizes[path] = bytes.Length;
        }

        /// <summary>
        /// The entry's path as text, when its name is plain UTF-8 that shows as itself: a name is printed in
        /// reports and on terminals, so one that is not valid UTF-8 or holds control or invisible characters
        /// (escape sequences, bidi overrides) is refused rather than shown altered.
        /// </summary>
        static string PlainName(byte[] name, string shown, string prefix)
        {
            string text;
            try
            {
                text = StrictUtf8.GetString(name);
            }
            catch (DecoderFallbackException)
            {
                throw Refuse(shown, "has a name that is not valid UTF-8", "rename it");
            }
            if (!CandidateText.IsPlain(text)) throw Refuse(shown, "has control or invisible characters in its name", "rename it");
            return prefix + text;
        }

        static bool IsSkipped(byte[] name, int depth) =>
            name is [(byte)'.', ..] || name.AsSpan().SequenceEqual("bin"u8) || name.AsSpan().SequenceEqual("obj"u8)
            || depth == 0 && name.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(WorkspaceWriter.TestsFolder));

        static string Describe(FileKind kind) => kind switch
        {
            FileKind.SymbolicLink => "is a symbolic link",
            FileKind.Fifo => "is a named pipe (FIFO), not a file",
            FileKind.Socket => "is a socket, not a file",
            FileKind.CharacterDevice or FileKind.BlockDevice => "is a device, not a file",
            FileKind.Folder => "is a folder",
            _ => "is not a regular file",
        };

        static BadInputException Refuse(string shown, string problem, string advice) => new($"{shown} {problem}; {advice}.");
    }

    /// <summary>The errno values intake tells apart (the same on x86-64 and arm64).</summary>
    static class Errno
    {
        public const int NoEntry = 2;            // ENOENT
        public const int NoDeviceOrAddress = 6;  // ENXIO: opening a socket
        public const int Loop = 40;              // ELOOP: O_NOFOLLOW met a link
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
