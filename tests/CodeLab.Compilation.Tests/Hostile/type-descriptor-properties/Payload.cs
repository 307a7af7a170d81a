using System.ComponentModel;
namespace RateLimiting;
public static class Sneak
{
    public static object? Peek(object target, string name) => TypeDescriptor.GetProperties(target)[name]?.GetValue(target);
}
