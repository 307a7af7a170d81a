using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CodeLab.Judge;
using Shouldly;
using Xunit;

namespace Payments.Tests;

[Trait("level", "junior")]
public sealed class PaymentsJudgeTests
{
    static HttpRequestMessage Payment(string? key, long amount = 1250) =>
        new HttpRequestMessage(HttpMethod.Post, "/payments")
        {
            Content = JsonContent.Create(new { amount, currency = "EUR" }),
        }.WithKey(key);

    static async Task<PaymentProviderFake> ProviderAsync()
    {
        var provider = await World.PaymentProviderAsync();
        provider.Reset();
        return provider;
    }

    [Fact(DisplayName = "A new payment is charged once and answered with 201")]
    [Trait("criterion", "idempotency")]
    public async Task New_payment_is_charged_once()
    {
        var provider = await ProviderAsync();
        var key = Guid.NewGuid().ToString("N");

        var response = await Service.Client.SendAsync(Payment(key), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        provider.Charges.Count.ShouldBe(1, "the provider should have been charged once for this key");
    }

    [Fact(DisplayName = "A replay returns the stored answer and charges nothing more")]
    [Trait("criterion", "idempotency")]
    public async Task Replay_returns_stored_answer()
    {
        var provider = await ProviderAsync();
        var key = Guid.NewGuid().ToString("N");

        var first = await Service.Client.SendAsync(Payment(key), TestContext.Current.CancellationToken);
        var second = await Service.Client.SendAsync(Payment(key), TestContext.Current.CancellationToken);

        second.StatusCode.ShouldBe(first.StatusCode);
        var a = await first.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var b = await second.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var (original, replayed) = (a.GetProperty("paymentId").GetString(), b.GetProperty("paymentId").GetString());
        Assert.True(original == replayed, $"a replay must return the same payment: the first answer was {original}, the replay {replayed}");
        provider.Charges.Count.ShouldBe(1, $"the same key was sent twice and the provider was charged {provider.Charges.Count} times");
    }

    [Fact(DisplayName = "A payment without Idempotency-Key is refused with 400 and charges nothing")]
    [Trait("criterion", "validation")]
    public async Task Missing_key_is_refused()
    {
        var provider = await ProviderAsync();

        var response = await Service.Client.SendAsync(Payment(null), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        provider.Calls.ShouldBe(0);
    }
}

static class RequestExtensions
{
    public static HttpRequestMessage WithKey(this HttpRequestMessage request, string? key)
    {
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return request;
    }
}
