using System.Globalization;
using System.Text.Json;
using CodeLab.Grading;
using CodeLab.Load;
using CodeLab.Load.Stats;

namespace CodeLab.Cli.Output;

/// <summary>How `codelab load` shows a run: a live progress line, then a short table a person reads at a glance.</summary>
internal static class LoadText
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Progress Progress(LoadProgress p)
    {
        var planned = p.Planned is { } t ? $"/{t.TotalSeconds:0} s" : " s";
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{p.Stage} {p.Elapsed.TotalSeconds:0}{planned}  ok {p.Ok}  fail {p.Fail}  in flight {p.InFlight}");
        return new Progress(text, IsTick: true);
    }

    public static void Print(LoadSummary s, string description)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(description);
        Console.WriteLine(string.Create(c, $"  requests       {s.Requests.Total} ({s.Requests.Ok} ok, {s.Requests.Fail} failed) in {s.DurationSeconds:0.##} s"));
        Console.WriteLine(s.TargetRate is { } target
            ? string.Create(c, $"  rate           {s.AchievedRate:0.#}/s achieved of {target:0.#}/s")
            : string.Create(c, $"  rate           {s.AchievedRate:0.#}/s"));
        Console.WriteLine($"  latency ms     {Row(s.LatencyMs)}");
        Console.WriteLine($"  uncorrected    {Row(s.UncorrectedLatencyMs)}");
        Console.WriteLine($"  status codes   {(s.StatusCodes.Count == 0 ? "none" : string.Join(", ", s.StatusCodes.Select(kv => $"{kv.Key}: {kv.Value}")))}");
        Console.WriteLine(string.Create(c, $"  generator lag  p99 {s.GeneratorLagMs.P99:0.###} ms, max {s.GeneratorLagMs.Max:0.###} ms"));
        foreach (var (message, count) in s.FailMessages.Take(3)) Console.WriteLine($"  failure        {count} x {message}");
        if (s.LateStarts > 0)
            Console.WriteLine($"note: {s.LateStarts} calls started late because --max-in-flight calls were already waiting for the target; their wait is in the latency.");
        if (s.GeneratorBound)
            Console.WriteLine("warning: the generator itself fell behind its schedule (generator lag above its bound); this machine, not the target, limited the run.");
    }

    static string Row(LatencySummary l) => string.Create(CultureInfo.InvariantCulture,
        $"p50 {l.P50:0.###}  p75 {l.P75:0.###}  p90 {l.P90:0.###}  p95 {l.P95:0.###}  p99 {l.P99:0.###}  p99.9 {l.P999:0.###}  max {l.Max:0.###}  mean {l.Mean:0.###}");
}
