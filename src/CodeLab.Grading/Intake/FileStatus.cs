using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace CodeLab.Grading;

/// <summary>What an entry is, from statx: its type, how many names its data has, and its size.</summary>
internal readonly record struct FileStatus(FileKind Kind, uint Links, long Size)
{
    public static FileStatus FromStatx(byte[] statx)
    {
        // struct statx (linux/stat.h) has one layout on every architecture: stx_nlink at 16, stx_mode at 28, stx_size at 40.
        var links = BitConverter.ToUInt32(statx, 16);
        var mode = BitConverter.ToUInt16(statx, 28);
        var size = BitConverter.ToInt64(statx, 40);
        var kind = (mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Folder,
            0xA000 => FileKind.SymbolicLink,
            0x1000 => FileKind.Fifo,
            0xC000 => FileKind.Socket,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            _ => FileKind.Unknown,
        };
        return new FileStatus(kind, links, size);
    }
}
