using System.Diagnostics;

namespace CodeLab.Grading.Tests;

/// <summary>
/// The machine's load slot is a flock on a file: held by one open file at a time, whichever process it is in, and
/// given back when its holder dies. Each test locks a file of its own, never the machine's slot (a calibration may run
/// its load beside this suite).
/// </summary>
public sealed class MachineLockTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("codelab-lock-").FullName;

    /// <summary>How long a step that should happen at once may take before the test calls it hung (the suite runs
    /// beside the calibration, on a busy machine).</summary>
    static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    string LockFile => Path.Combine(folder, "slot");

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task Two_holders_in_one_process_exclude_each_other()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = await MachineLock.AcquireAsync(LockFile, ct);
        var second = MachineLock.AcquireAsync(LockFile, ct);
        await Task.Delay(300, ct);
        second.IsCompleted.ShouldBeFalse("a second holder took the lock while the first held it");

        first.Dispose();
        first.Dispose(); // more than once is harmless
        (await second.WaitAsync(HangGuard, ct)).Dispose();
    }

    [Fact]
    public async Task Another_process_that_holds_the_file_makes_a_grade_wait_until_it_dies()
    {
        var ct = TestContext.Current.CancellationToken;
        // flock(1) from util-linux: another process, holding the same file's lock the way a second grading process does.
        using var holder = Process.Start(new ProcessStartInfo("flock", [LockFile, "-c", "echo held; exec sleep 60"]) { RedirectStandardOutput = true })!;
        try
        {
            (await holder.StandardOutput.ReadLineAsync(ct).AsTask().WaitAsync(HangGuard, ct)).ShouldBe("held");
            var waiting = MachineLock.AcquireAsync(LockFile, ct);
            await Task.Delay(500, ct);
            waiting.IsCompleted.ShouldBeFalse("the lock was taken while another process held it");

            holder.Kill(entireProcessTree: true); // a grading process that crashed mid-load: the kernel gives its lock back
            using var held = await waiting.WaitAsync(HangGuard, ct);
            (await OtherProcessCanTakeAsync(ct)).ShouldBeFalse("another process took the lock this one holds");
        }
        finally
        {
            if (!holder.HasExited) holder.Kill(entireProcessTree: true);
        }
        (await OtherProcessCanTakeAsync(ct)).ShouldBeTrue("the lock was not given back when its holder was disposed");
    }

    [Fact]
    public async Task A_file_that_cannot_be_opened_is_a_machine_problem_said_in_one_line()
    {
        var missing = Path.Combine(folder, "no-such-folder", "slot");
        var ex = await Should.ThrowAsync<InfrastructureException>(() => MachineLock.AcquireAsync(missing, TestContext.Current.CancellationToken));
        ex.Message.ShouldContain(missing);
        ex.Message.ShouldContain("CODELAB_LOAD_SLOT");
        ex.Message.ShouldNotContain("\n");
    }

    /// <summary>Whether `flock -n` in another process gets the lock at once.</summary>
    async Task<bool> OtherProcessCanTakeAsync(CancellationToken ct)
    {
        using var probe = Process.Start(new ProcessStartInfo("flock", ["-n", LockFile, "true"]))!;
        await probe.WaitForExitAsync(ct);
        return probe.ExitCode == 0;
    }
}
