using System.Formats.Tar;
using System.Text;

namespace CodeLab.Runner;

/// <summary>
/// The runner's input arrives on stdin: one line with the per-run secret, then a tar archive of the
/// files to run. Nothing is mounted from the host, so this works wherever the engine runs, and the
/// secret lives only in this process's memory (no environment variable, no file).
/// </summary>
internal static class WorkInput
{
    const int MaxSecretLength = 128;

    public static string ReadSecret(Stream stdin)
    {
        var bytes = new List<byte>(64);
        while (true)
        {
            var b = stdin.ReadByte();
            if (b < 0) throw new InvalidDataException("stdin ended before the secret line");
            if (b == '\n') break;
            if (bytes.Count == MaxSecretLength) throw new InvalidDataException("secret line too long");
            bytes.Add((byte)b);
        }
        var secret = Encoding.ASCII.GetString(bytes.ToArray()).Trim();
        if (secret.Length < 16) throw new InvalidDataException("secret line too short");
        return secret;
    }

    public static async Task ExtractArchiveAsync(Stream stdin, string workDir)
    {
        Directory.CreateDirectory(workDir);
        var root = Path.GetFullPath(workDir) + Path.DirectorySeparatorChar;
        await using var reader = new TarReader(stdin, leaveOpen: true);
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            var target = Path.GetFullPath(Path.Combine(workDir, entry.Name));
            if (!target.StartsWith(root, StringComparison.Ordinal))
                throw new InvalidDataException($"archive entry escapes the work folder: {entry.Name}");
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(target);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    await entry.ExtractToFileAsync(target, overwrite: true);
                    break;
                default:
                    throw new InvalidDataException($"unsupported archive entry type {entry.EntryType}: {entry.Name}");
            }
        }
    }
}
