using System.Diagnostics;
using CodeLab.Exercises;
using CodeLab.Reports;
using CodeLab.Sandbox;

namespace CodeLab.Grading;

/// <summary>The machine a calibration ran on: CPUs, memory, load average at the start.</summary>
public sealed record MachineSummary(string Host, int Cpus, double? MemoryGiB, string? LoadAverage)
{
    public static MachineSummary Read()
    {
        double? memory = null;
        string? load = null;
        try
        {
            var total = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            if (total is not null && long.TryParse(total.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out var kb)) memory = Math.Round(kb / 1024.0 / 1024.0, 1);
            load = string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return new MachineSummary(Environment.MachineName, Environment.ProcessorCount, memory, load);
    }

    public override string ToString() =>
        $"{Cpus} CPUs (nproc), {(MemoryGiB is { } m ? $"{m:0.#} GiB memory" : "memory unknown")}, {Environment.OSVersion.VersionString}" +
        (LoadAverage is null ? "" : $", load average {LoadAverage} at the start");
}
