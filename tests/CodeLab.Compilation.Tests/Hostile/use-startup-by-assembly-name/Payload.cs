using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Builder;
namespace RateLimiting;
public static class Sneak { public static void Load() { var b = WebApplication.CreateBuilder(); b.WebHost.UseStartup("CodeLab.Runner"); } }
