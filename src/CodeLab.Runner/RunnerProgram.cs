using System.Globalization;
using System.Runtime.Loader;
using System.Text.Json;
using CodeLab.Protocol;

namespace CodeLab.Runner;

internal static class RunnerProgram
{
    public const int ExitOk = 0;
    public const int ExitBadInput = 2;
    public const int ExitTestTimedOut = 3;
    public const int ExitRunnerFailed = 4;

    public static async Task<int> MainAsync(string[] args)
    {
        var mode = args.Length > 0 ? args[0] : "";
        if (mode is not ("tests" or "service"))
        {
            await Console.Error.WriteLineAsync($"codelab runner: unknown mode '{mode}'; expected 'tests' or 'service'.");
            return ExitBadInput;
        }

        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;

        var workDir = Environment.GetEnvironmentVariable("CODELAB_WORK") ?? "/work";
        var stdin = Console.OpenStandardInput();
        string secret;
        try
        {
            secret = WorkInput.ReadSecret(stdin);
            await WorkInput.ExtractArchiveAsync(stdin, workDir);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"codelab runner: could not read the work archive: {ex.Message}");
            return ExitBadInput;
        }

        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            var candidate = Path.Combine(workDir, name.Name + ".dll");
            return File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
        };

        // Before any candidate or test assembly is loaded: from here on the process cannot read its own memory or start a program.
        string hardening;
        try
        {
            hardening = ProcessHardening.Apply();
        }
        catch (Exception ex) when (ex is InvalidOperationException or PlatformNotSupportedException or DllNotFoundException or EntryPointNotFoundException)
        {
            await Console.Error.WriteLineAsync($"codelab runner: could not harden the sandbox process: {ex.Message}");
            return ExitRunnerFailed;
        }

        if (mode == "service") return await ServiceHost.RunAsync(workDir);

        // Take the real stdout for the private channel before any untrusted code is loaded, then point
        // Console at capped buffers: whatever candidate code prints lands there, never on the channel.
        using var channel = new PrivateChannel(Console.OpenStandardOutput(), secret);
        var capture = new CappedWriter();
        Console.SetOut(capture);
        Console.SetError(capture);
        Console.SetIn(TextReader.Null);

        channel.Write(new RunnerEvent { Event = RunnerEvents.Hello, Count = RunnerChannel.Version, Message = hardening });

        RunManifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<RunManifest>(File.ReadAllText(Path.Combine(workDir, "run.json")))
                ?? throw new InvalidDataException("run.json is empty");
        }
        catch (Exception ex) when (ex is IOException or JsonException or InvalidDataException)
        {
            channel.Write(new RunnerEvent { Event = RunnerEvents.Fatal, Message = "run.json unreadable: " + ex.Message });
            return ExitBadInput;
        }

        var control = manifest.Control ? ControlChannel.Start(channel, stdin) : null;
        if (control is not null)
            CodeLab.Judge.Control.Connect(control.SendAsync);
        // Only a judge run (no candidate code in this process) connects the judge's statics to the channel: in a library
        // run nothing static leads from code a submission could call to the channel or its secret.
        if (manifest.WaitFor.Count > 0)
            CodeLab.Judge.Checks.Connect((name, expected, actual, passed) =>
            channel.Write(new RunnerEvent { Event = RunnerEvents.Check, Method = name, Message = expected, Output = actual, Status = passed ? "pass" : "fail" }));

        if (manifest.WaitFor.Count > 0)
        {
            var readiness = await ServiceReadiness.WaitAsync(manifest.WaitFor, TimeSpan.FromMilliseconds(manifest.ReadyTimeoutMs));
            if (readiness.Problem is { } problem)
            {
                channel.Write(new RunnerEvent { Event = RunnerEvents.NotReady, Message = problem, DurationMs = readiness.Elapsed.TotalMilliseconds });
                return ExitOk;
            }
            channel.Write(new RunnerEvent { Event = RunnerEvents.Ready, DurationMs = readiness.Elapsed.TotalMilliseconds });
        }

        try
        {
            var executed = await TestHost.RunAsync(manifest, workDir, channel, capture);
            await LoadHost.RunAsync(manifest, workDir, channel, control);
            channel.Write(new RunnerEvent { Event = RunnerEvents.Done, Count = executed });
            return ExitOk;
        }
        catch (Exception ex)
        {
            channel.Write(new RunnerEvent { Event = RunnerEvents.Fatal, ExceptionType = ex.GetType().FullName, Message = ex.Message, StackTrace = ex.StackTrace });
            return ExitRunnerFailed;
        }
    }
}
