using CodeLab.Load.Execution;
using CodeLab.Load.Stats;

namespace CodeLab.Load;

/// <summary>Runs scenarios side by side and returns their stats: <c>await LoadRunner.RegisterScenarios(s).RunAsync()</c>.</summary>
public sealed class LoadRunner
{
    readonly IReadOnlyList<ScenarioProps> scenarios;
    Action<LoadProgress>? onProgress;
    TimeSpan progressInterval = TimeSpan.FromSeconds(1);

    LoadRunner(IReadOnlyList<ScenarioProps> scenarios) => this.scenarios = scenarios;

    public static LoadRunner RegisterScenarios(params ScenarioProps[] scenarios)
    {
        if (scenarios.Length == 0) throw new ArgumentException("Register at least one scenario.", nameof(scenarios));
        var duplicate = scenarios.GroupBy(s => s.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Two scenarios are named '{duplicate.Key}'; names must be unique.", nameof(scenarios));
        return new LoadRunner(scenarios.ToArray());
    }

    /// <summary>Called every <paramref name="interval"/> (default 1 s) with each scenario's progress.</summary>
    public LoadRunner WithProgress(Action<LoadProgress> progress, TimeSpan? interval = null)
    {
        onProgress = progress;
        if (interval is { } i) progressInterval = i > TimeSpan.Zero ? i : throw new ArgumentOutOfRangeException(nameof(interval), i, "Must be longer than zero.");
        return this;
    }

    public async Task<LoadResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var runners = scenarios.Select(s => new ScenarioRunner(s)).ToArray();
        using var stopReporting = new CancellationTokenSource();
        var reporting = onProgress is { } report ? ReportAsync(runners, report, stopReporting.Token) : Task.CompletedTask;
        try
        {
            var stats = await Task.WhenAll(runners.Select(r => Task.Run(() => r.RunAsync(cancellationToken), CancellationToken.None))).ConfigureAwait(false);
            return new LoadResult(stats);
        }
        finally
        {
            await stopReporting.CancelAsync().ConfigureAwait(false);
            await reporting.ConfigureAwait(false);
        }
    }

    async Task ReportAsync(ScenarioRunner[] runners, Action<LoadProgress> report, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(progressInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
                foreach (var runner in runners) report(runner.Progress());
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}

/// <summary>A scenario's state while it runs. Elapsed counts from the start of the current stage (warm-up or measurement).</summary>
public sealed record LoadProgress(string ScenarioName, string Stage, TimeSpan Elapsed, TimeSpan? Planned, long Ok, long Fail, int InFlight);
