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
    public static string NewKey() => "key-" + Guid.NewGuid().ToString("N");

    public static async Task<PaymentProviderFake> ProviderAsync()
    {
        var provider = await World.PaymentProviderAsync();
        provider.Reset();
        return provider;
    }

    public static HttpRequestMessage Pay(string? key, long amount = 1250, string currency = "EUR") =>
        Raw(key, JsonSerializer.Serialize(new { amount, currency }));

    public static HttpRequestMessage Raw(string? key, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/payments") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return request;
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
    /// replicas in turn; returns every answer.
    /// </summary>
    public static async Task<IReadOnlyList<Answer>> BurstAsync(int count, Func<long, HttpRequestMessage> request)
    {
        var answers = new ConcurrentQueue<Answer>();
        var replicas = Service.Replicas;
        var scenario = Scenario.Create("burst", async ctx =>
        {
            var answer = await SendAsync(replicas[(int)(ctx.InvocationNumber % replicas.Count)], request(ctx.InvocationNumber));
            answers.Enqueue(answer);
            return Response.Ok(answer.Status);
        }).WithLoadSimulations(Simulation.Burst(count));
        await LoadRunner.RegisterScenarios(scenario).RunAsync(Xunit.TestContext.Current.CancellationToken);
        return answers.ToArray();
    }

    public static string Describe(IEnumerable<Answer> answers) =>
        string.Join(", ", answers.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} x {g.Key}"));
}
