using System.Diagnostics;
using System.Text.RegularExpressions;

namespace CodeLab.Sandbox;

/// <summary>
/// Keeps the grading host out of reach of a grade's network. An internal Docker network has no route out, but the
/// host itself owns the bridge's gateway address (and every other local address is delivered through INPUT), so
/// any host service bound to all addresses (sshd, a database, Redis, the web app) answered candidate code. A
/// fence is a DROP rule in the host's INPUT chain for the grade's bridge interface, for IPv4 and, when the kernel
/// has IPv6, for IPv6: nothing on the host answers, not even with a reset. Traffic between containers on the
/// bridge is forwarded, not delivered to the host, and Docker's embedded DNS answers inside each container's own
/// network namespace, so neither is affected.
/// <para>
/// A fence goes up before its network exists (iptables accepts a rule for an interface that is not there yet, so
/// there is no moment without it) and comes down only after the network is gone; the reaper takes down fences
/// whose network and owner are both gone. Fences carry a comment "codelab-fence owner" so they can be found.
/// </para>
/// </summary>
public sealed partial class HostFence(string iptables = "iptables", string ip6tables = "ip6tables")
{
    const string CommentPrefix = "codelab-fence";
    static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(20);
    const string Fix = "grade service exercises as root on the Docker host, with iptables installed (./codelab prepare installs it on Debian/Ubuntu)";

    /// <summary>The bridge interface name for a grade network (Linux allows at most 15 characters).</summary>
    public static string BridgeNameFor(string runId) => "cl-" + (runId.Length > 12 ? runId[..12] : runId);

    /// <summary>One rule of ours: the bridge it closes and the "host:pid" that put it up.</summary>
    public sealed record Rule(bool Ipv6, string Bridge, string Owner);

    static bool Ipv6Enabled =>
        File.Exists("/proc/net/if_inet6") &&
        (!File.Exists("/proc/sys/net/ipv6/conf/all/disable_ipv6") || File.ReadAllText("/proc/sys/net/ipv6/conf/all/disable_ipv6").Trim() == "0");

    IEnumerable<(bool Ipv6, string Tool)> Tools => Ipv6Enabled ? [(false, iptables), (true, ip6tables)] : [(false, iptables)];

    /// <summary>Null when fences can be put up here; otherwise what is wrong and what to do, in one line.</summary>
    public async Task<string?> ProblemAsync(CancellationToken cancellationToken)
    {
        foreach (var (_, tool) in Tools)
        {
            var (ok, error) = await RunAsync(tool, ["-w", "-S", "INPUT"], cancellationToken);
            if (!ok) return $"Cannot isolate grade networks from the host: '{tool} -S INPUT' failed ({error}); {Fix}.";
        }
        return null;
    }

    /// <summary>Puts up the fence for <paramref name="bridge"/>. Throws <see cref="SandboxSetupException"/> when it cannot.</summary>
    public async Task CloseAsync(string bridge, CancellationToken cancellationToken)
    {
        foreach (var (_, tool) in Tools)
        {
            var (ok, error) = await RunAsync(tool, ["-w", "-I", "INPUT", "1", .. RuleArguments(bridge, SandboxLabels.CurrentOwner)], cancellationToken);
            if (!ok)
            {
                await OpenAsync(bridge, CancellationToken.None);
                throw new SandboxSetupException($"Cannot isolate the grade network from the host: {tool} refused the rule ({error}); {Fix}.");
            }
        }
    }

    /// <summary>
    /// Throws unless the fence for <paramref name="bridge"/> is up and the bridge is visible in this process's network
    /// namespace: a grader in a container of its own would fence its own namespace, not the host's.
    /// </summary>
    public async Task VerifyAsync(string bridge, CancellationToken cancellationToken)
    {
        if (!Directory.Exists($"/sys/class/net/{bridge}"))
            throw new SandboxSetupException($"Cannot isolate the grade network from the host: its bridge {bridge} is not visible here, so this process does not share the Docker host's network; {Fix} (or in a container with network_mode: host and NET_ADMIN).");
        foreach (var (_, tool) in Tools)
        {
            var (ok, error) = await RunAsync(tool, ["-w", "-C", "INPUT", .. RuleArguments(bridge, SandboxLabels.CurrentOwner)], cancellationToken);
            if (!ok) throw new SandboxSetupException($"Cannot isolate the grade network from the host: the {tool} rule for {bridge} is not in place ({error}); {Fix}.");
        }
    }

    /// <summary>Takes down every fence rule for <paramref name="bridge"/>, whoever put it up. Missing rules are not an error.</summary>
    public async Task OpenAsync(string bridge, CancellationToken cancellationToken)
    {
        foreach (var rule in (await ListAsync(cancellationToken)).Where(r => r.Bridge == bridge))
            await RunAsync(rule.Ipv6 ? ip6tables : iptables, ["-w", "-D", "INPUT", .. RuleArguments(rule.Bridge, rule.Owner)], cancellationToken);
    }

    /// <summary>Every fence rule on this host (empty when iptables cannot be asked).</summary>
    public async Task<IReadOnlyList<Rule>> ListAsync(CancellationToken cancellationToken)
    {
        var rules = new List<Rule>();
        foreach (var (ipv6, tool) in Tools)
        {
            var (ok, output) = await RunAsync(tool, ["-w", "-S", "INPUT"], cancellationToken);
            if (!ok) continue;
            foreach (Match match in RulePattern().Matches(output))
                rules.Add(new Rule(ipv6, match.Groups["bridge"].Value, match.Groups["owner"].Value));
        }
        return rules;
    }

    static string[] RuleArguments(string bridge, string owner) =>
        ["-i", bridge, "-m", "comment", "--comment", $"{CommentPrefix} {owner}", "-j", "DROP"];

    [GeneratedRegex("""^-A INPUT -i (?<bridge>\S+) -m comment --comment "?codelab-fence (?<owner>[^"\s]+)"? -j DROP\s*$""", RegexOptions.Multiline)]
    private static partial Regex RulePattern();

    /// <summary>Runs the tool; returns whether it succeeded and its output (stdout on success, else stderr or why it could not start).</summary>
    static async Task<(bool Ok, string Output)> RunAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return (false, $"{tool} could not be started: {ex.Message}");
        }
        using (process)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(CommandTimeout);
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
                return process.ExitCode == 0 ? (true, await stdout) : (false, (await stderr).Trim() is { Length: > 0 } e ? e : $"exit code {process.ExitCode}");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                try { process.Kill(); } catch (InvalidOperationException) { /* already gone */ }
                return (false, $"{tool} did not answer within {CommandTimeout.TotalSeconds:0} s");
            }
        }
    }
}
