namespace System.Runtime.InteropServices
{
    public enum LayoutKind { Sequential = 0, Explicit = 2, Auto = 3 }
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct)]
    public sealed class StructLayoutAttribute(LayoutKind layoutKind) : Attribute { }
    [AttributeUsage(AttributeTargets.Field)]
    public sealed class FieldOffsetAttribute(int offset) : Attribute { }
}
namespace RateLimiting
{
    using System.Runtime.InteropServices;
    public sealed class Box { public long Address; }
    public sealed class Text { public string? Value; }
    // Two references at one offset: a Box read as Text turns a number into an address (arbitrary memory read).
    [StructLayout(LayoutKind.Explicit)]
    public sealed class Confused
    {
        [FieldOffset(0)] public Box? AsBox;
        [FieldOffset(0)] public Text? AsText;
    }
}
