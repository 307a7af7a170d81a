// Steady payment traffic on both replicas with client retries mixed in: 40 payments per second for 10 s (open
// model, after 2 s of warm-up), one call in ten re-sending a key used a moment earlier, as a client that timed out
// would. The provider takes 20 ms per charge. A retry answered 201 (the stored payment) or 409 (still in flight) is
// right; anything else is a failure. Thresholds are in exercise.json.
var provider = await World.PaymentProviderAsync();
provider.Reset();
provider.Delay = TimeSpan.FromMilliseconds(20);
var recent = new ConcurrentQueue<string>();
// Keys are new in every run: a repeated run must charge again, not replay the answers of the one before.
var run = Guid.NewGuid().ToString("N")[..8];

Scenario.Create("payments", async ctx =>
{
    var retry = ctx.InvocationNumber % 10 == 0 && recent.TryPeek(out _);
    string key;
    if (retry && recent.TryDequeue(out var earlier)) key = earlier;
    else
    {
        key = $"load-{run}-{(ctx.IsWarmUp ? "w" : "m")}-{ctx.InvocationNumber}";
        recent.Enqueue(key);
        while (recent.Count > 50) recent.TryDequeue(out _);
    }
    var replica = Service.Replicas[(int)(ctx.InvocationNumber % Service.Replicas.Count)];
    var request = new HttpRequestMessage(HttpMethod.Post, "/payments")
    {
        Content = new StringContent("{\"amount\":1250,\"currency\":\"EUR\"}", Encoding.UTF8, "application/json"),
    };
    request.Headers.Add("Idempotency-Key", key);
    var response = await Http.SendAsync(replica, request, ctx.CancellationToken);
    return response.StatusCode is 201 or 409 ? Response.Ok(response.StatusCode, response.SizeBytes) : Response.Fail(response.StatusCode, response.Message);
})
// The generator's lag counts in the latency it measures. The thresholds leave 250 ms for p99, so a lag of up to
// 50 ms on a busy grading machine cannot turn a good service into a failing one; above that the run is repeated.
.WithGeneratorLagBound(TimeSpan.FromMilliseconds(50))
.WithWarmUpDuration(TimeSpan.FromSeconds(2))
.WithLoadSimulations(Simulation.Inject(40, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)))
