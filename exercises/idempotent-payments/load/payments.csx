// Steady payment traffic on both replicas with client retries mixed in: 40 payments per second for 10 s (open
// model, no warm-up: the hidden tests warmed the replicas and the clients), one call in ten re-sending a payment made
// a moment earlier, as a client that timed out would. Every payment is drawn exactly as the hidden tests draw theirs
// (PaymentTraffic: key shape, amounts, currencies, request), so the service cannot tell measured traffic from any other. The provider takes 20 ms per
// charge. A retry answered 201 (the stored payment) or 409 (still in flight) is right; anything else is a failure.
// Then the provider's ledger is checked, not the answers: every payment charged exactly once for its amount and
// currency, and every key answered with one payment. Thresholds are in exercise.json.
using CodeLab.Load.Stats;

var provider = await World.PaymentProviderAsync();
provider.Reset();
provider.Delay = TimeSpan.FromMilliseconds(20);
var recent = new ConcurrentQueue<Payment>();
// Every payment sent (warm-up included: its charges are in the ledger too) and every 201 each key got.
var sent = new ConcurrentDictionary<string, Payment>();
var answered = new ConcurrentDictionary<string, ConcurrentQueue<(string? PaymentId, string? ChargeId)>>();

async Task<int> PayAsync(HttpClient client, Payment payment, CancellationToken cancellationToken)
{
    using var request = payment.Request();
    using var response = await client.SendAsync(request, cancellationToken);
    var status = (int)response.StatusCode;
    var body = await response.Content.ReadAsStringAsync(cancellationToken);
    if (status == 201) answered.GetOrAdd(payment.Key, _ => new()).Enqueue(Ids(body));
    return status;
}

(string? PaymentId, string? ChargeId) Ids(string body)
{
    try
    {
        using var json = JsonDocument.Parse(body);
        string? Field(string name) => json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(name, out var value) ? value.ToString() : null;
        return (Field("paymentId"), Field("chargeId"));
    }
    catch (JsonException)
    {
        return (null, null);
    }
}

ScenarioCheck Check(string name, long expected, long actual) =>
    new(name, expected.ToString(System.Globalization.CultureInfo.InvariantCulture), actual.ToString(System.Globalization.CultureInfo.InvariantCulture), expected == actual);

Scenario.Create("payments", async ctx =>
{
    Payment payment;
    if (ctx.InvocationNumber % 10 == 0 && recent.TryDequeue(out var earlier)) payment = earlier;
    else
    {
        payment = PaymentTraffic.NewPayment();
        recent.Enqueue(payment);
        while (recent.Count > 50) recent.TryDequeue(out _);
    }
    sent.TryAdd(payment.Key, payment);
    var replica = Service.Replicas[(int)(ctx.InvocationNumber % Service.Replicas.Count)];
    try
    {
        var status = await PayAsync(replica, payment, ctx.CancellationToken);
        return status is 201 or 409 ? Response.Ok(status) : Response.Fail(status, $"HTTP {status}");
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
.WithVerification(async cancellationToken =>
{
    // A client retries until it has its answer: a payment the run left without a 201 (its only call timed out, or
    // got 409 while another was in flight) is retried a few times before the ledger is read.
    foreach (var payment in sent.Values.Where(p => !answered.ContainsKey(p.Key)).ToList())
    {
        for (var attempt = 0; attempt < 10 && !answered.ContainsKey(payment.Key); attempt++)
        {
            try { await PayAsync(Service.Replicas[attempt % Service.Replicas.Count], payment, cancellationToken); }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested) { }
            if (!answered.ContainsKey(payment.Key)) await Task.Delay(300, cancellationToken);
        }
    }

    var charges = provider.Charges;
    var disagreeing = answered.Count(a => a.Value.Distinct().Count() > 1);
    var chargeIds = answered.Select(a => (Key: a.Key, a.Value.First().ChargeId)).ToList();
    // A 201 must carry a charge the provider made for that very payment: an id it issued, for the payment's amount
    // and currency, and not one another key's answer carries too.
    var notItsCharge = chargeIds.Count(a => provider.Find(a.ChargeId) is not { } charge
                                            || charge.Amount != sent[a.Key].Amount || charge.Currency != sent[a.Key].Currency)
                       + (chargeIds.Count - chargeIds.Select(a => a.ChargeId).Distinct().Count());
    return
    [
        Check($"charges the provider accepted for {sent.Count} payments", sent.Count, charges.Count),
        Check("payments never answered 201, even after retries", 0, sent.Count - answered.Count),
        Check("keys whose 201 answers disagree (paymentId or chargeId)", 0, disagreeing),
        Check("201 answers that do not carry the provider's charge for that payment", 0, notItsCharge),
    ];
})
// The generator's lag counts in the latency it measures. The thresholds leave 250 ms for p95, so a lag of up to
// 50 ms on a busy grading machine cannot turn a good service into a failing one; above that the run is repeated.
.WithGeneratorLagBound(TimeSpan.FromMilliseconds(50))
// No warm-up: the hidden tests ran just before on both replicas, through the same clients (Service.Replicas), so the
// services' code is compiled and the clients' connections are open (they live a minute) when the measured 10 s begin.
.WithLoadSimulations(Simulation.Inject(40, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)))
