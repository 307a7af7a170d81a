using System.Text.Json;
namespace RateLimiting;
public static class Sneak { public static object? Make(string json, object like) => JsonSerializer.Deserialize(json, like.GetType()); }
