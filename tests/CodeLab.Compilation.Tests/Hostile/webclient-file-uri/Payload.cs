#pragma warning disable SYSLIB0014
namespace RateLimiting;
public static class Sneak { public static string Read() => new System.Net.WebClient().DownloadString("file:///work/run.json"); }
