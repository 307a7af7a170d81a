using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using CodeLab.Load;
using CodeLab.Load.Stats;
using CodeLab.Runner.Protocol;

namespace CodeLab.Runner;

/// <summary>
/// Judge runs: after the tests, runs the level's load scenarios against the candidate's service and sends their stats
/// to the grader, which evaluates the thresholds. The scenarios are the exercise's trusted scripts, compiled by the
/// grader; the script's submission factory returns the ScenarioProps.
/// </summary>
internal static class LoadHost
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task RunAsync(RunManifest manifest, string workDir, PrivateChannel channel)
    {
        foreach (var load in manifest.Load)
        {
            try
            {
                using var limit = new CancellationTokenSource(load.LimitMs);
                var scenario = await CreateAsync(Path.Combine(workDir, load.Assembly));
                var result = await LoadRunner.RegisterScenarios(scenario).RunAsync(limit.Token);
                // The per-second series stays here: the grader scores from the totals, and the channel line stays small.
                var stats = result.Scenarios[0] with { Series = [] };
                channel.Write(new RunnerEvent { Event = "load", Method = load.Scenario, Output = JsonSerializer.Serialize(stats, Json) });
            }
            catch (Exception ex)
            {
                var why = ex is OperationCanceledException ? $"did not finish within {load.LimitMs / 1000} s" : $"{ex.GetType().Name}: {ex.Message}";
                channel.Write(new RunnerEvent { Event = "load", Method = load.Scenario, Message = why });
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
