using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace CodeLab.Grading;

internal enum FileKind { Regular, Folder, SymbolicLink, Fifo, Socket, CharacterDevice, BlockDevice, Unknown }
