using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using CodeLab.Load;
using CodeLab.Load.Stats;
using CodeLab.Protocol;

namespace CodeLab.Runner;

/// <summary>
/// Judge runs: after the tests, runs the level's load scenarios against the candidate's service and sends their stats
/// to the grader, which evaluates the thresholds. The scenarios are the exercise's trusted scripts, compiled by the
/// grader; the script's submission factory returns the ScenarioProps.
/// </summary>
internal static class LoadHost
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// A run whose generator fell behind (a busy machine) says nothing about the service; it is run again, up to this
    /// many times in all, and the last run is scored. The grader reports the earlier ones in a note.
    /// </summary>
    const int Attempts = 3;

    /// <summary>How long a run may wait for the machine's load slot while other grades' load runs finish.</summary>
    static readonly TimeSpan SlotWait = TimeSpan.FromMinutes(10);

    /// <param name="control">The grader's world control (judge runs): each run of a scenario holds the machine's load
    /// slot, so two grades' load runs never measure each other. Null only where no grader answers (tests of the runner).</param>
    public static async Task RunAsync(RunManifest manifest, string workDir, PrivateChannel channel, ControlChannel? control)
    {
        foreach (var load in manifest.Load)
        {
            try
            {
                var behind = new List<string>();
                var spent = TimeSpan.Zero;
                ScenarioStats stats;
                while (true)
                {
                    var scenario = await CreateAsync(Path.Combine(workDir, load.Assembly));
                    if (control is not null) await control.SendAsync("load-begin", SlotWait, CancellationToken.None);
                    // The run's time limit counts the runs, not the waits for the slot.
                    var clock = System.Diagnostics.Stopwatch.StartNew();
                    LoadResult result;
                    try
                    {
                        using var limit = new CancellationTokenSource(TimeSpan.FromMilliseconds(Math.Max(1, load.LimitMs - spent.TotalMilliseconds)));
                        result = await LoadRunner.RegisterScenarios(scenario).RunAsync(limit.Token);
                    }
                    finally
                    {
                        spent += clock.Elapsed;
                        if (control is not null) await control.SendAsync("load-end", CancellationToken.None);
                    }
                    // The per-second series stays here: the grader scores from the totals, and the channel line stays small.
                    stats = result.Scenarios[0] with { Series = [] };
                    if (!stats.GeneratorBound || behind.Count + 1 >= Attempts) break;
                    behind.Add($"lag p99 {stats.GeneratorLag.P99Ms:0.#} ms");
                    await Task.Delay(TimeSpan.FromSeconds(2));
                }
                var note = behind.Count == 0 ? null
                    : $"run {behind.Count + 1} times: the load generator fell behind its schedule in the earlier run(s) ({string.Join(", ", behind)}), which a busy machine causes; the last run is the one scored.";
                channel.Write(new RunnerEvent { Event = RunnerEvents.Load, Method = load.Scenario, Output = JsonSerializer.Serialize(stats, Json), Message = note });
            }
            catch (Exception ex)
            {
                var why = ex is OperationCanceledException ? $"did not finish within {load.LimitMs / 1000} s" : $"{ex.GetType().Name}: {ex.Message}";
                channel.Write(new RunnerEvent { Event = RunnerEvents.Load, Method = load.Scenario, Message = why });
            }
        }
    }

    static async Task<ScenarioProps> CreateAsync(string path)
    {
        var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
        // A C# script compiles to a class "Submission#0" whose static "<Factory>" runs the script and returns its value.
        var factory = assembly.GetType("Submission#0")?.GetMethod("<Factory>", BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidDataException($"{Path.GetFileName(path)} is not a compiled load script.");
        var run = (Task)factory.Invoke(null, [new object?[2]])!;
        await run;
        return run.GetType().GetProperty(nameof(Task<object>.Result))?.GetValue(run) as ScenarioProps
            ?? throw new InvalidDataException($"{Path.GetFileName(path)} did not return a ScenarioProps (end the script with Scenario.Create(...)).");
    }
}
