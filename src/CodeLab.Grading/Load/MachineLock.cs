using System.Runtime.InteropServices;

namespace CodeLab.Grading;

/// <summary>
/// An exclusive lock that every process on this machine sees: flock(2) on a file. The kernel gives it back when the
/// holder closes the file or dies, so a grading process that crashes mid-load cannot leave the machine locked. The
/// lock belongs to one open file (not to a process), so two holders in one process exclude each other as well.
/// </summary>
/// <remarks>
/// flock is called directly rather than through FileStream's FileShare: FileStream takes a shared lock of its own
/// when it opens a file (and throws when someone holds it exclusively), and a runtime switch
/// (DOTNET_SYSTEM_IO_DISABLEFILELOCKING) turns its locking off without a word.
/// </remarks>
public static class MachineLock
{
    const int ReadOnly = 0, Create = 0x40, CloseOnExec = 0x80000; // O_RDONLY, O_CREAT, O_CLOEXEC (Linux)
    const int Exclusive = 2, NonBlocking = 4; // LOCK_EX, LOCK_NB

    /// <summary>How often a waiter asks again: short beside a load run of seconds.</summary>
    static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <summary>Waits until this caller holds the lock on <paramref name="path"/> (created if missing); dispose the result to give it back.</summary>
    /// <exception cref="InfrastructureException">The file cannot be opened or locked (not a wait: a machine problem, said in one line).</exception>
    public static async Task<IDisposable> AcquireAsync(string path, CancellationToken cancellationToken)
    {
        var fd = Open(path);
        try
        {
            while (!TryLock(fd, path)) await Task.Delay(Poll, cancellationToken);
            return new Held(fd);
        }
        catch
        {
            _ = Libc.close(fd);
            throw;
        }
    }

    static int Open(string path)
    {
        var name = Libc.Path(path);
        while (true)
        {
            // Read-only is enough for flock, and lets another user's grading process open a file this one created.
            var fd = Libc.open(name, ReadOnly | Create | CloseOnExec, 0x1B6 /* 0666, less the umask */);
            if (fd >= 0) return fd;
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Libc.EINTR)
                throw new InfrastructureException($"cannot open the machine's load slot file {path} (errno {errno}): make it readable, or set CODELAB_LOAD_SLOT to a file every grading process on this machine can open.");
        }
    }

    static bool TryLock(int fd, string path)
    {
        while (true)
        {
            if (Libc.flock(fd, Exclusive | NonBlocking) == 0) return true;
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Libc.EWOULDBLOCK) return false;
            if (errno != Libc.EINTR)
                throw new InfrastructureException($"cannot lock the machine's load slot file {path} (errno {errno}): set CODELAB_LOAD_SLOT to a file on a local file system.");
        }
    }

    sealed class Held(int fd) : IDisposable
    {
        int released;

        public void Dispose()
        {
            // Closing the file gives the lock back (close always frees the descriptor on Linux, even when it reports an error).
            if (Interlocked.Exchange(ref released, 1) == 0) _ = Libc.close(fd);
        }
    }
}
