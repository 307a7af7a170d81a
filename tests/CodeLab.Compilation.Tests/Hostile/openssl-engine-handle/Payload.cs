using System.Security.Cryptography;
namespace RateLimiting;
public static class Sneak { public static object Load() => SafeEvpPKeyHandle.OpenPrivateKeyFromEngine("dynamic", "key"); }
