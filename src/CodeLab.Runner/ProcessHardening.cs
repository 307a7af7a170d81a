using System.Runtime.InteropServices;

namespace CodeLab.Runner;

/// <summary>
/// The runner's second layer of defence (DESIGN.md, trust model), applied to its own process before any candidate
/// assembly is loaded, for the case where a future policy gap lets candidate code reach a path or a handle:
/// <list type="bullet">
/// <item>not dumpable: as the sandbox's unprivileged user, the process can no longer open its own /proc/self/mem
///   (where the channel's secret lives), nor can any other process of that user read or trace it;</item>
/// <item>a seccomp filter on every thread (TSYNC) that refuses execve/execveat (no program can be started),
///   ptrace and process_vm_readv/writev (no reading another process's memory) with EPERM, and kills the process
///   on a foreign system-call ABI (x32 on x86-64) that would slip past the numbers.</item>
/// </list>
/// Both are one-way: nothing in the process can undo them. If either cannot be applied the runner refuses to run
/// (the grader reports an infrastructure error): a layer that silently fails to hold is worse than none.
/// </summary>
internal static partial class ProcessHardening
{
    const int PrSetDumpable = 4;
    const int PrGetDumpable = 3;
    const int PrSetNoNewPrivs = 38;
    const long SeccompSetModeFilter = 1;
    const long SeccompFilterFlagTsync = 1;
    const uint SeccompRetAllow = 0x7fff0000;
    const uint SeccompRetKillProcess = 0x80000000;
    const uint SeccompRetErrno = 0x00050000;
    const uint Eperm = 1;

    /// <summary>What was applied, for the hello event; throws when a layer could not be applied.</summary>
    public static string Apply()
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("the sandbox runner hardens itself on Linux only");
        if (prctl(PrSetDumpable, 0, 0, 0, 0) != 0) throw Failed("prctl(PR_SET_DUMPABLE, 0)");
        if (prctl(PrGetDumpable, 0, 0, 0, 0) != 0) throw new InvalidOperationException("the process is still dumpable after PR_SET_DUMPABLE 0");
        if (prctl(PrSetNoNewPrivs, 1, 0, 0, 0) != 0) throw Failed("prctl(PR_SET_NO_NEW_PRIVS, 1)");

        var (seccompSyscall, arch, refused, x32) = Abi();
        var program = Filter(arch, refused, x32);
        var filter = Marshal.AllocHGlobal(program.Length);
        var fprog = Marshal.AllocHGlobal(16);
        try
        {
            Marshal.Copy(program, 0, filter, program.Length);
            Marshal.WriteInt16(fprog, 0, (short)(program.Length / 8));
            Marshal.WriteIntPtr(fprog, 8, filter);
            if (syscall(seccompSyscall, SeccompSetModeFilter, SeccompFilterFlagTsync, fprog) != 0) throw Failed("seccomp(SECCOMP_SET_MODE_FILTER, TSYNC)");
        }
        finally
        {
            Marshal.FreeHGlobal(fprog);
            Marshal.FreeHGlobal(filter);
        }
        return $"dumpable=0 seccomp=exec,ptrace,vm-read/write refused";
    }

    /// <summary>The seccomp syscall number, the audit architecture and the system calls to refuse, per machine.</summary>
    static (long Seccomp, uint Arch, uint[] Refused, bool X32) Abi() => RuntimeInformation.ProcessArchitecture switch
    {
        // execve, execveat, ptrace, process_vm_readv, process_vm_writev
        Architecture.X64 => (317, 0xC000003E, [59, 322, 101, 310, 311], true),
        Architecture.Arm64 => (277, 0xC00000B7, [221, 281, 117, 270, 271], false),
        var other => throw new PlatformNotSupportedException($"no seccomp filter for {other}"),
    };

    /// <summary>A classic BPF program over struct seccomp_data (nr at offset 0, arch at offset 4).</summary>
    static byte[] Filter(uint arch, uint[] refused, bool x32)
    {
        var code = new List<(ushort Code, byte Jt, byte Jf, uint K)>
        {
            (0x20, 0, 0, 4),                  // ld [arch]
            (0x15, 1, 0, arch),               // jeq arch ? skip the kill
            (0x06, 0, 0, SeccompRetKillProcess),
            (0x20, 0, 0, 0),                  // ld [nr]
        };
        // Each refusal jumps over the instructions after it to the final "return EPERM".
        if (x32) code.Add((0x35, (byte)(refused.Length + 1), 0, 0x40000000)); // jge x32 bit ? EPERM
        for (var i = 0; i < refused.Length; i++)
        {
            var left = refused.Length - i - 1; // refusals after this one
            code.Add((0x15, (byte)(left + 1), 0, refused[i])); // jeq nr ? EPERM (skip the rest and the allow)
        }
        code.Add((0x06, 0, 0, SeccompRetAllow));
        code.Add((0x06, 0, 0, SeccompRetErrno | Eperm));
        var bytes = new byte[code.Count * 8];
        for (var i = 0; i < code.Count; i++)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(i * 8), code[i].Code);
            bytes[i * 8 + 2] = code[i].Jt;
            bytes[i * 8 + 3] = code[i].Jf;
            BitConverter.TryWriteBytes(bytes.AsSpan(i * 8 + 4), code[i].K);
        }
        return bytes;
    }

    static InvalidOperationException Failed(string what) => new($"{what} failed (errno {Marshal.GetLastPInvokeError()})");

#pragma warning disable SYSLIB1054 // DllImport keeps this file free of unsafe code; the calls happen once per process.
    [DllImport("libc", SetLastError = true)]
    static extern int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);

    [DllImport("libc", SetLastError = true)]
    static extern long syscall(long number, long arg1, long arg2, IntPtr arg3);
#pragma warning restore SYSLIB1054
}
