using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace CodeLab.Grading;

/// <summary>
/// A folder of the hand-in, opened by handle, read without ever following a link or blocking (Linux, 64-bit).
/// .NET's file API follows symbolic links, blocks on opening a FIFO and decodes names it cannot represent into
/// U+FFFD (so the file can no longer be named, nor reopened): the hand-in is read through libc instead, name by
/// name relative to an open folder (openat with O_NOFOLLOW | O_NONBLOCK), and what was opened is judged by its
/// handle (statx of the descriptor), so no entry can be swapped between a check and the read.
/// </summary>
internal sealed class NoFollowFolder : IDisposable
{
    readonly Descriptor fd;

    NoFollowFolder(Descriptor fd) => this.fd = fd;

    /// <summary>The hand-in's own folder: the operator named it, so a link in that path is theirs to follow.</summary>
    public static NoFollowFolder OpenRoot(string path)
    {
        Flags.EnsureSupported();
        return new NoFollowFolder(Check(Libc.open(Libc.Path(path), Flags.ReadOnly | Flags.Directory | Flags.NonBlock | Flags.CloseOnExec)));
    }

    /// <summary>A folder inside: fails (ELOOP, ENOTDIR) when the entry is a link or is not a folder any more.</summary>
    public NoFollowFolder OpenFolder(byte[] name) =>
        new(Check(Libc.openat(fd, Libc.Path(name), Flags.ReadOnly | Flags.Directory | Flags.NoFollow | Flags.NonBlock | Flags.CloseOnExec)));

    /// <summary>
    /// A file inside, opened without following a link, without waiting for a FIFO's writer and without taking a
    /// terminal; a socket cannot be opened at all (ENXIO). The caller judges <see cref="OpenFile.Status"/> before reading.
    /// </summary>
    public OpenFile Open(byte[] name) =>
        new(Check(Libc.openat(fd, Libc.Path(name), Flags.ReadOnly | Flags.NoFollow | Flags.NonBlock | Flags.NoControllingTerminal | Flags.CloseOnExec)));

    /// <summary>
    /// The entries' names (raw bytes: a Linux name need not be UTF-8) and what each is, links not followed;
    /// at most <paramref name="limit"/> of them, so a huge folder costs no more than that.
    /// </summary>
    public IReadOnlyList<(byte[] Name, FileStatus Status)> List(int limit)
    {
        var names = new List<byte[]>();
        // readdir on a duplicate: closedir closes that one, and this folder's descriptor stays open for openat.
        var copy = Check(Libc.dup(fd));
        var dir = Libc.fdopendir(copy.DangerousGetHandle().ToInt32());
        if (dir == IntPtr.Zero)
        {
            var error = Error("cannot list it");
            copy.Dispose();
            throw error;
        }
        copy.SetHandleAsInvalid(); // the stream owns it now
        try
        {
            while (true)
            {
                Marshal.SetLastPInvokeError(0);
                var entry = Libc.readdir(dir);
                if (entry == IntPtr.Zero)
                {
                    if (Marshal.GetLastPInvokeError() != 0) throw Error("cannot list it");
                    break;
                }
                var name = Libc.DirentName(entry);
                if (name is [(byte)'.'] or [(byte)'.', (byte)'.']) continue;
                names.Add(name);
                if (names.Count == limit) break;
            }
        }
        finally
        {
            // closedir can only fail on a bad handle; there is nothing left to do with a folder already read.
            _ = Libc.closedir(dir);
        }
        return names.Select(name => (name, StatusOf(name))).ToList();
    }

    FileStatus StatusOf(byte[] name)
    {
        var buffer = new byte[Libc.StatxSize];
        if (Libc.statx(fd, Libc.Path(name), Flags.SymlinkNoFollow | Flags.NoAutomount, Libc.StatxBasic, buffer) != 0) throw Error("cannot be examined");
        return FileStatus.FromStatx(buffer);
    }

    public void Dispose() => fd.Dispose();

    static Descriptor Check(int descriptor) => descriptor < 0 ? throw Error("cannot be opened") : new Descriptor(descriptor);

    static IOException Error(string what)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{what} ({Marshal.GetPInvokeErrorMessage(errno)})") { HResult = errno };
    }

    /// <summary>An open file of the hand-in: its status comes from the handle, so it is the status of what is read.</summary>
    public sealed class OpenFile : IDisposable
    {
        readonly Descriptor fd;

        internal OpenFile(Descriptor fd)
        {
            this.fd = fd;
            var buffer = new byte[Libc.StatxSize];
            if (Libc.statx(fd, [0], Flags.EmptyPath, Libc.StatxBasic, buffer) != 0)
            {
                fd.Dispose();
                throw Error("cannot be examined");
            }
            Status = FileStatus.FromStatx(buffer);
        }

        public FileStatus Status { get; }

        /// <summary>The whole content; fails if there is more or less than <see cref="Status"/> said (it changed while read).</summary>
        public byte[] ReadAll(long maxBytes)
        {
            if (Status.Size > maxBytes) throw new IOException($"it is larger than {maxBytes} bytes");
            var content = new byte[Status.Size + 1];
            var length = 0;
            while (length < content.Length)
            {
                var read = Libc.read(fd, ref content[length], content.Length - length);
                if (read == 0) break;
                if (read < 0)
                {
                    if (Marshal.GetLastPInvokeError() == Libc.EINTR) continue;
                    throw Error("cannot be read");
                }
                length += (int)read;
            }
            if (length != (int)Status.Size) throw new IOException("changed while it was read");
            return content[..length];
        }

        public void Dispose() => fd.Dispose();
    }

    /// <summary>A file descriptor, closed when released.</summary>
    internal sealed class Descriptor : SafeHandleMinusOneIsInvalid
    {
        public Descriptor(int fd) : base(ownsHandle: true) => SetHandle(fd);

        protected override bool ReleaseHandle() => Libc.close((int)handle) == 0;
    }

    /// <summary>open(2) flags: O_DIRECTORY and O_NOFOLLOW differ between x86-64 and arm64.</summary>
    static class Flags
    {
        static readonly bool Arm = RuntimeInformation.ProcessArchitecture == Architecture.Arm64;
        public const int ReadOnly = 0;
        public const int NoControllingTerminal = 0x100; // O_NOCTTY
        public const int NonBlock = 0x800;              // O_NONBLOCK
        public const int CloseOnExec = 0x80000;         // O_CLOEXEC
        public static readonly int Directory = Arm ? 0x4000 : 0x10000;
        public static readonly int NoFollow = Arm ? 0x8000 : 0x20000;
        public const int SymlinkNoFollow = 0x100; // AT_SYMLINK_NOFOLLOW
        public const int NoAutomount = 0x800;     // AT_NO_AUTOMOUNT
        public const int EmptyPath = 0x1000;      // AT_EMPTY_PATH

        public static void EnsureSupported()
        {
            if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64))
                throw new InfrastructureException("The grader reads a hand-in through Linux's own calls (no links followed, no blocking): run it on 64-bit Linux (x86-64 or arm64).");
        }
    }
}
