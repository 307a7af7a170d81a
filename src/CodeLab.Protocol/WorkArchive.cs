using System.Formats.Tar;
using System.Text;

namespace CodeLab.Protocol;

/// <summary>
/// What a sandbox reads on stdin: one line with the per-run secret, then a tar of read-only files (manifests and
/// assemblies). Nothing is mounted from the host, so this works wherever the engine runs.
/// </summary>
public static class WorkArchive
{
    /// <summary>A tar of the given files, each readable by everyone and writable by no one.</summary>
    public static byte[] Build(IEnumerable<(string Name, byte[] Content)> files)
    {
        using var buffer = new MemoryStream();
        using (var tar = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
                {
                    DataStream = new MemoryStream(content),
                    Mode = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                });
            }
        }
        return buffer.ToArray();
    }

    /// <summary>The stdin of a sandbox: the secret line, then the archive.</summary>
    public static byte[] WithSecret(string secret, byte[] archive) => [.. Encoding.ASCII.GetBytes(secret + "\n"), .. archive];
}
