using System.ComponentModel;
using System.Diagnostics;
using Shouldly;
using Xunit;

namespace Probing.Tests;

/// <summary>
/// Trusted test code (never policy-checked) doing from inside the test process what only a policy gap would let a
/// submission do. Each test passes when the runner's hardening or the container refuses the attempt, so a grade of 100
/// for this fixture's reference proves that every layer below the policy holds in the real sandbox.
/// </summary>
[Trait("level", "junior")]
public sealed class ProbeHiddenTests
{
    [Fact(DisplayName = "The test process cannot open its own memory")]
    [Trait("criterion", "contained")]
    public void Own_memory_is_closed() => Should.Throw<UnauthorizedAccessException>(() => File.OpenRead("/proc/self/mem").Dispose());

    [Fact(DisplayName = "The test process cannot start a program")]
    [Trait("criterion", "contained")]
    public void No_program_starts()
    {
        var error = Should.Throw<Win32Exception>(() => Process.Start(new ProcessStartInfo("/bin/sh", "-c true") { UseShellExecute = false })!.WaitForExit());
        error.NativeErrorCode.ShouldBe(1, "EPERM from the seccomp filter"); // not ENOENT: /bin/sh exists in the image
    }

    [Fact(DisplayName = "The test process cannot write to the root file system")]
    [Trait("criterion", "contained")]
    public void Root_is_read_only() => Should.Throw<Exception>(() => File.WriteAllText("/etc/forged.json", "{}"));
}
