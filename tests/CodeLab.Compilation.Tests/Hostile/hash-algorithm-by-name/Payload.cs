#pragma warning disable SYSLIB0045
using System.Security.Cryptography;
namespace RateLimiting;
// The name is handed to CryptoConfig.CreateFromName, which builds whatever public type it names before the cast.
public static class Sneak { public static object? Make(string name) => HashAlgorithm.Create(name); }
