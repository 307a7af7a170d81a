using Microsoft.Extensions.FileProviders;
namespace RateLimiting;
public static class Sneak { public static object Files() => new PhysicalFileProvider("/work"); }
