using System.CommandLine;
using System.Text.Json;
using CodeLab.Cli.Output;
using CodeLab.Grading;
using CodeLab.Load;
using CodeLab.Load.Stats;

namespace CodeLab.Cli.Commands;

/// <summary>`codelab load`: load-tests one HTTP endpoint, open model (--rate) or closed model (--copies).</summary>
internal static class LoadCommand
{
    public static Command Create()
    {
        var url = new Argument<string>("url") { Description = "The endpoint, e.g. http://127.0.0.1:5000/payments (loopback only unless --allow-remote)." };
        var rate = new Option<double?>("--rate") { Description = "Open model: calls per second, spread evenly, whatever the responses do (fractions work)." };
        var copies = new Option<int?>("--copies") { Description = "Closed model: this many callers, each calling again as soon as its response arrives." };
        var duration = new Option<string>("--duration") { Description = "How long to measure: 10s, 500ms, 2m.", DefaultValueFactory = _ => "10s" };
        var warmUp = new Option<string>("--warmup") { Description = "Load before measuring, thrown away: 0s, 2s.", DefaultValueFactory = _ => "0s" };
        var method = new Option<string>("--method") { Description = "HTTP method.", DefaultValueFactory = _ => "GET" };
        var headers = new Option<string[]>("--header") { Description = "A request header 'Name: value' (repeatable).", AllowMultipleArgumentsPerToken = false };
        var bodyFile = new Option<string?>("--body-file") { Description = "A file whose bytes are sent as the body of every request." };
        var timeout = new Option<string>("--timeout") { Description = "Per-request time-out.", DefaultValueFactory = _ => "30s" };
        var maxInFlight = new Option<int>("--max-in-flight") { Description = "Open model: calls in flight at most; later ones wait and count as late starts.", DefaultValueFactory = _ => 1000 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the table." };
        var allowRemote = new Option<bool>("--allow-remote") { Description = "Allow a target that is not this machine (only for environments you own)." };
        var command = new Command("load", "Load-tests an HTTP endpoint and measures latency from each call's intended start (no coordinated omission).")
        {
            url, rate, copies, duration, warmUp, method, headers, bodyFile, timeout, maxInFlight, json, allowRemote,
        };
        command.SetAction((parse, ct) => Guard.RunAsync(async () =>
        {
            var plan = LoadPlan.Parse(
                parse.GetValue(url)!, parse.GetValue(rate), parse.GetValue(copies), parse.GetValue(duration)!, parse.GetValue(warmUp)!,
                parse.GetValue(method)!, parse.GetValue(headers) ?? [], parse.GetValue(bodyFile), parse.GetValue(timeout)!,
                parse.GetValue(maxInFlight), parse.GetValue(allowRemote));
            await plan.CheckTargetAsync(ct);

            using var client = Http.CreateClient(plan.Copies ?? plan.MaxInFlight, plan.Timeout);
            await ProbeAsync(client, plan, ct);

            var scenario = Scenario.Create("http", context => Http.SendAsync(client, plan.CreateRequest(), context.CancellationToken))
                .WithWarmUpDuration(plan.WarmUp)
                .WithMaxInFlight(plan.MaxInFlight)
                .WithLoadSimulations(plan.Rate is { } r
                    ? Simulation.Inject(r, TimeSpan.FromSeconds(1), plan.Duration)
                    : Simulation.KeepConstant(plan.Copies!.Value, plan.Duration));
            var progress = new ConsoleProgress();
            Console.Error.WriteLine($"codelab load: {plan.Describe()}");
            var result = await LoadRunner.RegisterScenarios(scenario).WithProgress(p => progress.Report(LoadText.Progress(p))).RunAsync(ct);
            progress.Done();

            var summary = LoadSummary.From(result.Scenarios[0]);
            if (parse.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(summary, LoadText.Json));
            else
                LoadText.Print(summary, plan.Describe());
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>One request first: a target that does not answer is one clear line, not thousands of identical failures.</summary>
    static async Task ProbeAsync(HttpClient client, LoadPlan plan, CancellationToken ct)
    {
        var response = await Http.SendAsync(client, plan.CreateRequest(), ct);
        if (response.StatusCode is null)
            throw new BadInputException($"{plan.Url} does not answer ({response.Message}); start the service or check the URL.");
    }
}
