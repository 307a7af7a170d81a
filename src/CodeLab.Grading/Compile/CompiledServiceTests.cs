using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using CodeLab.Compilation;
using CodeLab.Exercises;

namespace CodeLab.Grading;

/// <summary>
/// The compiled tests of each service level, kept for the process's next grade of that level. A service's tests talk to it
/// over HTTP from the judge container and reference only the judge's libraries, never the candidate's assembly, so their
/// assembly depends on their sources alone: kept under a digest of every source's label and text, it is used only while
/// the files read for a grade are exactly those (an exercise edited under a long-lived process is compiled afresh). One
/// entry per exercise and level.
/// </summary>
internal sealed class CompiledServiceTests
{
    readonly ConcurrentDictionary<(string Folder, string Level), (string Digest, byte[] Assembly)> kept = new();

    /// <summary>Where a level's tests are kept, and the digest of the sources read for this grade (computed once).</summary>
    public sealed record Key(string Folder, string Level, string Digest);

    public static Key KeyOf(Exercise exercise, string level, IReadOnlyList<SourceFile> sources) => new(exercise.SolutionsFolder, level, Digest(sources));

    public byte[]? Find(Key key) =>
        kept.TryGetValue((key.Folder, key.Level), out var entry) && entry.Digest == key.Digest ? entry.Assembly : null;

    public void Keep(Key key, byte[] assembly) => kept[(key.Folder, key.Level)] = (key.Digest, assembly);

    static string Digest(IReadOnlyList<SourceFile> sources)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var source in sources)
        {
            foreach (var part in new[] { source.Path, source.Text })
            {
                var bytes = Encoding.UTF8.GetBytes(part);
                hash.AppendData(BitConverter.GetBytes(bytes.Length));
                hash.AppendData(bytes);
            }
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
