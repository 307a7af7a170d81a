using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace CodeLab.Grading;

/// <summary>The few libc calls the grader makes itself: the hand-in is read with them, and the machine's load slot is a flock (glibc's libc.so.6: the grader runs on Debian).</summary>
internal static class Libc
{
    const string Library = "libc.so.6";
    public const int EINTR = 4, EWOULDBLOCK = 11; // EWOULDBLOCK is EAGAIN on Linux
    public const int StatxSize = 256;
    public const uint StatxBasic = 0x7FF; // STATX_BASIC_STATS

    // Descriptors come back as int (a SafeHandle return would be read as 64 bits, and -1 would not look invalid).
    [DllImport(Library, SetLastError = true)]
    public static extern int open(byte[] path, int flags);

    /// <summary>open with O_CREAT, which needs the mode of a file it creates.</summary>
    [DllImport(Library, SetLastError = true)]
    public static extern int open(byte[] path, int flags, int mode);

    [DllImport(Library, SetLastError = true)]
    public static extern int flock(int fd, int operation);

    [DllImport(Library, SetLastError = true)]
    public static extern int openat(NoFollowFolder.Descriptor dirfd, byte[] path, int flags);

    [DllImport(Library, SetLastError = true)]
    public static extern int dup(NoFollowFolder.Descriptor fd);

    [DllImport(Library, SetLastError = true)]
    public static extern int statx(NoFollowFolder.Descriptor dirfd, byte[] path, int flags, uint mask, byte[] statxbuf);

    [DllImport(Library, SetLastError = true)]
    public static extern nint read(NoFollowFolder.Descriptor fd, ref byte buffer, nint count);

    [DllImport(Library, SetLastError = true)]
    public static extern IntPtr fdopendir(int fd);

    [DllImport(Library, SetLastError = true)]
    public static extern IntPtr readdir(IntPtr dir);

    [DllImport(Library, SetLastError = true)]
    public static extern int closedir(IntPtr dir);

    [DllImport(Library, SetLastError = true)]
    public static extern int close(int fd);

    /// <summary>d_name of a struct dirent: at 19 in glibc's 64-bit layout (d_ino, d_off, d_reclen, d_type), NUL-terminated.</summary>
    public static byte[] DirentName(IntPtr entry)
    {
        var name = new List<byte>(32);
        for (var i = 19; ; i++)
        {
            var b = Marshal.ReadByte(entry, i);
            if (b == 0) return [.. name];
            name.Add(b);
        }
    }

    public static byte[] Path(string path) => [.. System.Text.Encoding.UTF8.GetBytes(path), 0];

    public static byte[] Path(byte[] name) => [.. name, 0];
}
