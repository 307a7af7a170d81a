namespace Helpers
{
    // The runtime recognises [UnsafeAccessor] by its name, whatever assembly declares it.
    public enum UnsafeAccessorKind { Constructor, Method, StaticMethod, Field, StaticField }
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class UnsafeAccessorAttribute(UnsafeAccessorKind kind) : Attribute { public string? Name { get; set; } }
}
namespace RateLimiting
{
    using Helpers;
    public static class Sneak
    {
        [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_writer")]
        public static extern ref TextWriter Writer(TextWriter synchronized);
    }
}
