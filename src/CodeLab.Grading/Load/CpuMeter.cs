using System.Diagnostics;
using System.Globalization;

namespace CodeLab.Grading;

/// <summary>
/// Reads CPU time from the grading host's kernel: the machine's busy time from /proc/stat and each container's from its
/// cgroup (cgroup v1 cpuacct or v2 cpu.stat, under Docker's cgroupfs or systemd layout). Nothing here comes from inside a
/// container, so a submission cannot change what it reads. Where the grader does not run on the engine's host (no such
/// files), <see cref="Sample"/> returns null and a lagging load run cannot be attributed: it is then treated as inconclusive.
/// </summary>
public sealed class CpuMeter(string cgroupRoot = "/sys/fs/cgroup", string procStat = "/proc/stat")
{
    /// <summary>USER_HZ: the unit of /proc/stat on every Linux the .NET runtime supports.</summary>
    const double TicksPerSecond = 100;

    public CpuSample? Sample(IEnumerable<string> candidateIds, IEnumerable<string> judgeIds)
    {
        var at = TimeSpan.FromTicks(Stopwatch.GetTimestamp() * TimeSpan.TicksPerSecond / Stopwatch.Frequency);
        if (Machine() is not var (cores, busy)) return null;
        var candidate = new Dictionary<string, double>(StringComparer.Ordinal);
        var judge = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var id in candidateIds)
            if (Container(id) is { } used) candidate[id] = used;
        foreach (var id in judgeIds)
            if (Container(id) is { } used) judge[id] = used;
        // No cgroup readable at all: this is not the engine's host. (One missing is a replica restarting: it counts from zero.)
        return candidate.Count == 0 || judge.Count == 0 ? null : new CpuSample(at, cores, busy, candidate, judge);
    }

    (int Cores, double BusySeconds)? Machine()
    {
        try
        {
            var lines = File.ReadAllLines(procStat);
            var total = lines.FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
            if (total is null) return null;
            // user nice system idle iowait irq softirq steal ...: busy is everything but idle and iowait.
            var f = total.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            if (f.Length < 8) return null;
            var busy = f[0] + f[1] + f[2] + f[5] + f[6] + f[7];
            var cores = lines.Count(l => l.StartsWith("cpu", StringComparison.Ordinal) && l.Length > 3 && char.IsAsciiDigit(l[3]));
            return (Math.Max(cores, 1), busy / TicksPerSecond);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The container's CPU seconds so far, or null when no cgroup of it can be read here.</summary>
    double? Container(string id)
    {
        foreach (var (path, nanoseconds) in new[]
        {
            (Path.Combine(cgroupRoot, "cpuacct", "docker", id, "cpuacct.usage"), true),
            (Path.Combine(cgroupRoot, "cpu,cpuacct", "docker", id, "cpuacct.usage"), true),
            (Path.Combine(cgroupRoot, "docker", id, "cpu.stat"), false),
            (Path.Combine(cgroupRoot, "system.slice", $"docker-{id}.scope", "cpu.stat"), false),
        })
        {
            try
            {
                if (!File.Exists(path)) continue;
                var text = File.ReadAllText(path);
                if (nanoseconds) return double.Parse(text.Trim(), CultureInfo.InvariantCulture) / 1e9;
                var usage = text.Split('\n').FirstOrDefault(l => l.StartsWith("usage_usec ", StringComparison.Ordinal));
                if (usage is not null) return double.Parse(usage["usage_usec ".Length..].Trim(), CultureInfo.InvariantCulture) / 1e6;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
            {
                // Gone between the check and the read (a replica restarted): try the next layout, then give up.
            }
        }
        return null;
    }
}
