using System.Diagnostics;
using CodeLab.Sandbox.Engine;

namespace CodeLab.Sandbox;

/// <summary>Makes sure the sandbox image exists, building it with sandbox/build.sh when it does not.</summary>
public sealed class SandboxImageBuilder(IContainerEngine engine)
{
    /// <summary>True when the image had to be built.</summary>
    public async Task<bool> EnsureAsync(SandboxImage image, Action<string> progress, CancellationToken cancellationToken)
    {
        if (await engine.InspectImageAsync(image.Tag, cancellationToken) is not null) return false;

        // Two graders starting at once (tests in parallel, a CLI beside them) must not build twice.
        using var buildLock = await AcquireLockAsync(cancellationToken);
        if (await engine.InspectImageAsync(image.Tag, cancellationToken) is not null) return false;

        progress($"building sandbox image {image.Tag} (first use, or its definition changed) ...");
        var script = Path.Combine(image.DefinitionDirectory, "build.sh");
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList = { script, "--tag", image.Tag, "--base-tag", image.BaseTag, "--runner", image.RunnerDirectory, "--runtime-version", image.RuntimeVersion },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new SandboxSetupException("could not start bash to build the sandbox image");
        var tail = new Queue<string>();
        void Collect(string? line)
        {
            if (line is null) return;
            lock (tail)
            {
                tail.Enqueue(line);
                if (tail.Count > 30) tail.Dequeue();
            }
            if (line.StartsWith("sandbox", StringComparison.Ordinal)) progress(line);
        }
        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        if (process.ExitCode != 0)
        {
            string details;
            lock (tail) details = string.Join(Environment.NewLine, tail);
            throw new SandboxSetupException($"Building the sandbox image failed (exit {process.ExitCode}):{Environment.NewLine}{details}");
        }
        if (await engine.InspectImageAsync(image.Tag, cancellationToken) is null)
            throw new SandboxSetupException($"sandbox/build.sh finished but image {image.Tag} is not there.");
        return true;
    }

    static async Task<FileStream> AcquireLockAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), "codelab-sandbox-image.lock");
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(500, cancellationToken);
            }
        }
    }
}
