using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using CodeLab.Protocol;

namespace CodeLab.Runner;

/// <summary>
/// Runs the candidate's ASP.NET Core service: loads their assembly and calls its entry point. ASP.NET Core finds
/// the application (controllers, application parts) by its name, so ASPNETCORE_APPLICATIONNAME names the
/// candidate's assembly rather than this runner. Output goes straight to the container's stdout: these are the
/// service's logs, which the grader captures (capped) and never reads as results.
/// </summary>
internal static class ServiceHost
{
    public static async Task<int> RunAsync(string workDir)
    {
        var manifest = JsonSerializer.Deserialize<ServiceManifest>(await File.ReadAllTextAsync(Path.Combine(workDir, "service.json")))
                       ?? throw new InvalidDataException("service.json is empty");
        var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.Combine(workDir, manifest.Assembly));
        var entry = assembly.EntryPoint ?? throw new InvalidDataException($"{manifest.Assembly} has no entry point (Program.cs with top-level statements or a Main method)");
        object?[]? arguments = entry.GetParameters().Length == 0 ? null : [Array.Empty<string>()];
        try
        {
            var result = entry.Invoke(null, arguments);
            if (result is Task<int> exitTask) return await exitTask;
            if (result is Task task) { await task; return 0; }
            return result is int code ? code : 0;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            await Console.Error.WriteLineAsync($"Unhandled exception. {ex.InnerException}");
            return 1;
        }
    }
}
