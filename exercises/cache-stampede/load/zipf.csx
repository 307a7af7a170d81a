// Zipf-like read traffic over the three replicas: 80 reads per second for 6 s (open model, after 1 s of warm-up),
// spread evenly over the replicas, to 300 products whose popularity falls off as 1 / rank^1.1 (a few hot products,
// a long tail of cold ones), all cold at the start. The products are new ids drawn for this run, like every test's,
// and which product each read asks for comes from a fixed sequence (a seeded generator), so every grade sends the
// same mix. The origin takes 200 ms per load, so reads of a cold hot product reach several replicas while its first load is
// still in flight (a service that coalesces per replica only loads it once per replica, every run). A read is right when it answers 200 with the product it asked for.
// Then the origin's own record is checked: the TTL outlives the run, so every product must have been loaded at most
// once, whichever replicas its reads reached. Thresholds are in exercise.json.
using CodeLab.Load.Stats;

var origin = await OriginFake.StartedAsync();
origin.Reset();
origin.Delay = TimeSpan.FromMilliseconds(200);

const int Products = 300;
var run = Guid.NewGuid().ToString("N")[..8];
var ids = Enumerable.Range(0, Products).Select(i => $"sku-{run}{i:D8}").ToArray();
var weights = Enumerable.Range(1, Products).Select(rank => 1.0 / Math.Pow(rank, 1.1)).ToArray();
var sum = weights.Sum();
var cumulative = new double[Products];
for (var i = 0; i < Products; i++) cumulative[i] = (i == 0 ? 0 : cumulative[i - 1]) + weights[i] / sum;
var draw = new Random(20261202);
var sequence = Enumerable.Range(0, 4096).Select(_ =>
{
    var u = draw.NextDouble();
    var index = Array.BinarySearch(cumulative, u);
    return Math.Min(Products - 1, index < 0 ? ~index : index);
}).ToArray();
long wrong = 0;

Scenario.Create("zipf", async ctx =>
{
    var id = ids[sequence[ctx.InvocationNumber % sequence.Length]];
    var replica = Service.Replicas[(int)(ctx.InvocationNumber % Service.Replicas.Count)];
    try
    {
        using var response = await replica.GetAsync($"/products/{id}", ctx.CancellationToken);
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync(ctx.CancellationToken);
        if (status != 200) return Response.Fail(status, $"HTTP {status}");
        if (!body.Contains($"\"{id}\"", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref wrong);
            return Response.Fail(status, "not the product asked for");
        }
        return Response.Ok(status);
    }
    catch (TaskCanceledException) when (!ctx.CancellationToken.IsCancellationRequested)
    {
        return Response.Fail(message: $"time-out after {replica.Timeout.TotalSeconds:0.#} s");
    }
    catch (HttpRequestException ex)
    {
        return Response.Fail(message: ex.Message);
    }
})
.WithVerification(cancellationToken =>
{
    var perProduct = origin.Loads.Where(l => l.Id.StartsWith("sku-" + run, StringComparison.Ordinal)).GroupBy(l => l.Id).ToList();
    var again = perProduct.Count(g => g.Count() > 1);
    var most = perProduct.Count == 0 ? 0 : perProduct.Max(g => g.Count());
    IReadOnlyList<ScenarioCheck> checks =
    [
        new("products the origin loaded more than once during the run (three replicas)", "0", again.ToString(System.Globalization.CultureInfo.InvariantCulture), again == 0),
        new("most origin loads of one product during the run", "1", most.ToString(System.Globalization.CultureInfo.InvariantCulture), most <= 1),
        new("answers that were not the product asked for", "0", Interlocked.Read(ref wrong).ToString(System.Globalization.CultureInfo.InvariantCulture), Interlocked.Read(ref wrong) == 0),
    ];
    return Task.FromResult(checks);
})
// The generator's lag counts in the latency it measures. The p99 threshold leaves 3000 ms, and the correct solutions'
// p99 was 0.5-1.7 s with two grades at once on a machine at load average 20-27, so up to 150 ms of lag cannot turn a good service into a failing one;
// above that the run is repeated (50 ms, as for payments, was exceeded on this busy 2-core machine at 100 reads/s).
.WithGeneratorLagBound(TimeSpan.FromMilliseconds(150))
.WithWarmUpDuration(TimeSpan.FromSeconds(1))
.WithLoadSimulations(Simulation.Inject(80, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(6)))
