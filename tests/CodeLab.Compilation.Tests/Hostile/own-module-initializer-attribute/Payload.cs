namespace System.Runtime.CompilerServices
{
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class ModuleInitializerAttribute : Attribute { }
}
namespace RateLimiting
{
    public static class Early { [System.Runtime.CompilerServices.ModuleInitializer] internal static void Init() { } }
}
