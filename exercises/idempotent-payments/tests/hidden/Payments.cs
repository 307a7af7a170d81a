using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CodeLab.Judge;
using CodeLab.Load;

namespace IdempotentPayments.Tests;

/// <summary>What the service answered: status and body, with the payment's ids when the body has them.</summary>
sealed record Answer(int Status, string Body)
{
    public string? PaymentId => Field("paymentId");
    public string? ChargeId => Field("chargeId");

    string? Field(string name)
    {
        try
        {
            using var json = JsonDocument.Parse(Body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(name, out var value) ? value.ToString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public override string ToString() => $"{Status} {(Body.Length > 120 ? Body[..120] + "..." : Body)}";
}

static class Payments
{
    /// <summary>A new payment drawn like every payment the judge sends, load included (see PaymentTraffic).</summary>
    public static Payment NewPayment() => PaymentTraffic.NewPayment();

    public static async Task<PaymentProviderFake> ProviderAsync()
    {
        var provider = await World.PaymentProviderAsync();
        provider.Reset();
        return provider;
    }

    public static HttpRequestMessage Pay(Payment payment) => payment.Request();

    public static HttpRequestMessage Raw(string? key, string json) => PaymentTraffic.Request(key, json);

    /// <summary>
    /// Null when the provider's own record shows each payment charged exactly once: as many charges since the test's
    /// reset as payments, each payment's 201 carrying a different charge the provider accepted, for that payment's
    /// amount and currency. Otherwise what is wrong. Nothing here trusts the reference the service sent.
    /// </summary>
    public static string? ChargeProblem(PaymentProviderFake provider, IReadOnlyDictionary<Payment, string?> chargeIds)
    {
        var charges = provider.Charges;
        if (charges.Count != chargeIds.Count)
            return $"{chargeIds.Count} payment(s) made {charges.Count} charge(s) at the provider";
        if (chargeIds.Values.Distinct().Count() != chargeIds.Count)
            return "two payments answered with the same chargeId";
        foreach (var (payment, chargeId) in chargeIds)
        {
            if (provider.Find(chargeId) is not { } charge) return $"a payment answered chargeId '{chargeId}', which the provider never issued";
            if (charge.Amount != payment.Amount || charge.Currency != payment.Currency)
                return $"a payment of {payment.Amount} {payment.Currency} was charged {charge.Amount} {charge.Currency}";
        }
        return null;
    }

    public static Task<Answer> SendAsync(HttpRequestMessage request) => SendAsync(Service.Client, request);

    public static async Task<Answer> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        using (var response = await client.SendAsync(request, Xunit.TestContext.Current.CancellationToken))
            return new Answer((int)response.StatusCode, await response.Content.ReadAsStringAsync(Xunit.TestContext.Current.CancellationToken));
    }

    /// <summary>
    /// <paramref name="count"/> requests released at the same instant (the load engine's Burst), spread over the
    /// replicas in turn; returns every answer (and hands each to <paramref name="answered"/> with its call's number).
    /// </summary>
    public static async Task<IReadOnlyList<Answer>> BurstAsync(int count, Func<long, HttpRequestMessage> request, Action<long, Answer>? answered = null)
    {
        var answers = new ConcurrentQueue<Answer>();
        var replicas = Service.Replicas;
        var scenario = Scenario.Create("burst", async ctx =>
        {
            var answer = await SendAsync(replicas[(int)(ctx.InvocationNumber % replicas.Count)], request(ctx.InvocationNumber));
            answers.Enqueue(answer);
            answered?.Invoke(ctx.InvocationNumber, answer);
            return Response.Ok(answer.Status);
        }).WithLoadSimulations(Simulation.Burst(count));
        await LoadRunner.RegisterScenarios(scenario).RunAsync(Xunit.TestContext.Current.CancellationToken);
        return answers.ToArray();
    }

    public static string Describe(IEnumerable<Answer> answers) =>
        string.Join(", ", answers.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} x {g.Key}"));
}
