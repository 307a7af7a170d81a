using CodeLab.Compilation;
using CodeLab.Exercises;
using CodeLab.Sandbox;
using CodeLab.Sandbox.Engine;

namespace CodeLab.Grading;

/// <summary>Says what is ready and what is missing, without changing anything.</summary>
public static class MachineDoctor
{
    public static async Task<IReadOnlyList<DoctorCheck>> CheckAsync(CodeLabHome home, CancellationToken cancellationToken)
    {
        var checks = new List<DoctorCheck>
        {
            new(".NET", true, $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription} at {Path.GetDirectoryName(typeof(object).Assembly.Location)}"),
        };

        try
        {
            var references = new ReferenceAssemblies(home.RunnerBuild);
            checks.Add(new("reference packs", true, $"{references.Framework("Microsoft.NETCore.App").Count} + {references.Framework("Microsoft.AspNetCore.App").Count} assemblies under {references.DotnetRoot}/packs"));
        }
        catch (CompilationSetupException ex)
        {
            checks.Add(new("reference packs / runner build", false, ex.Message, "./codelab builds the runner; install the .NET SDK if packs are missing"));
        }

        try
        {
            var catalog = ExerciseCatalog.Load(home.Exercises);
            foreach (var part in catalog.All.SelectMany(e => e.Parts)) _ = part.Tests;
            checks.Add(new("exercises", true, $"{catalog.All.Count}: {string.Join(", ", catalog.All.Select(e => $"{e.Id} ({string.Join("/", e.AllLevels.Select(l => l.Id))}, {e.Parts.Sum(p => p.Tests.All.Count())} tests)"))}"));
        }
        catch (ExerciseException ex)
        {
            checks.Add(new("exercises", false, ex.Message, "fix the exercise folder named in the message"));
        }

        using var engine = new DockerEngine();
        EngineInfo? info = null;
        try
        {
            info = await engine.GetInfoAsync(cancellationToken);
            checks.Add(new("Docker engine", true, $"{info.Version} (API {info.ApiVersion}, {info.OperatingSystem}/{info.Architecture}) on {engine.SocketPath}"));
        }
        catch (ContainerEngineException ex)
        {
            checks.Add(new("Docker engine", false, ex.Message, "./codelab demo or ./codelab test installs and starts it (as root on Debian/Ubuntu); elsewhere start dockerd"));
        }

        SandboxImage? image = null;
        try
        {
            image = SandboxImage.Describe(home.SandboxDefinition, home.RunnerBuild, SandboxImage.CurrentRuntimeVersion);
        }
        catch (SandboxSetupException ex)
        {
            checks.Add(new("sandbox image", false, ex.Message, "./codelab prepare"));
        }
        if (image is not null && info is not null)
        {
            var present = await engine.InspectImageAsync(image.Tag, cancellationToken);
            var basePresent = await engine.InspectImageAsync(image.BaseTag, cancellationToken);
            checks.Add(present is not null
                ? new("sandbox image", true, $"{image.Tag} ({present.Id[..19]}), runtime {image.RuntimeVersion}")
                : new("sandbox image", false, $"{image.Tag} is not built (base {image.BaseTag} {(basePresent is null ? "missing too: about a minute to build" : "present: a few seconds to build")})", "./codelab prepare"));
            var fenceProblem = await new HostFence().ProblemAsync(cancellationToken);
            // A grader that does not share the engine's network namespace would fence its own namespace, not the host's.
            var sharesHostNetwork = Directory.Exists("/sys/class/net/docker0") || (await engine.ListNetworksAsync(SandboxLabels.Marker, cancellationToken)).Any(n => Directory.Exists($"/sys/class/net/{n.BridgeName}"));
            checks.Add(fenceProblem is not null
                ? new("network isolation", false, fenceProblem, "run as root with iptables installed (./codelab prepare installs it); service exercises are not graded without it")
                : !sharesHostNetwork
                    ? new("network isolation", false, "iptables works, but the engine's bridges are not visible here: this process does not share the Docker host's network, so its rules would not fence it", "run CodeLab on the Docker host (or with network_mode: host and NET_ADMIN)")
                    : new("network isolation", true, "service grades' networks can be fenced off from the host (iptables DROP on each grade's bridge)"));
            var leftovers = await engine.ListContainersAsync(SandboxLabels.Marker, cancellationToken);
            checks.Add(new("leftover containers", true, leftovers.Count == 0 ? "none" : $"{leftovers.Count} labelled codelab (removed at the next grade if their owner is gone)"));
        }
        return checks;
    }
}
