using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CodeLab.Judge;
using Shouldly;
using Xunit;

namespace IdempotentPayments.Tests;

/// <summary>The shape of the API. The grader runs these with hidden tests of the same behaviour.</summary>
[Trait("level", "junior")]
public sealed class PaymentsPublicTests
{
    static HttpRequestMessage Pay(string? key, long amount = 1250, string currency = "EUR")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/payments") { Content = JsonContent.Create(new { amount, currency }) };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    [Fact(DisplayName = "A new payment is charged once and answered 201 with paymentId, chargeId, amount and currency")]
    [Trait("criterion", "idempotency")]
    public async Task New_payment_is_charged_once()
    {
        var provider = await World.PaymentProviderAsync();
        provider.Reset();
        var key = "pub-" + Guid.NewGuid().ToString("N");

        using var response = await Service.Client.SendAsync(Pay(key), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        body.GetProperty("paymentId").GetString().ShouldNotBeNullOrWhiteSpace();
        body.GetProperty("chargeId").GetString().ShouldBe(provider.Charges.Single().ChargeId);
        body.GetProperty("amount").GetInt64().ShouldBe(1250);
        body.GetProperty("currency").GetString().ShouldBe("EUR");
        provider.Charges.Count.ShouldBe(1, "one payment, one charge");
    }

    [Fact(DisplayName = "A retry with the same key returns the same payment and charges nothing more")]
    [Trait("criterion", "idempotency")]
    public async Task Retry_returns_the_same_payment()
    {
        var provider = await World.PaymentProviderAsync();
        provider.Reset();
        var key = "pub-" + Guid.NewGuid().ToString("N");

        using var first = await Service.Client.SendAsync(Pay(key), TestContext.Current.CancellationToken);
        using var retry = await Service.Client.SendAsync(Pay(key), TestContext.Current.CancellationToken);

        retry.StatusCode.ShouldBe(first.StatusCode);
        var a = await first.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var b = await retry.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        b.GetProperty("paymentId").GetString().ShouldBe(a.GetProperty("paymentId").GetString());
        provider.Charges.Count.ShouldBe(1, "one key, one charge");
    }

    [Fact(DisplayName = "A payment without Idempotency-Key is refused with 400 and charges nothing")]
    [Trait("criterion", "validation")]
    public async Task Missing_key_is_refused()
    {
        var provider = await World.PaymentProviderAsync();
        provider.Reset();

        using var response = await Service.Client.SendAsync(Pay(null), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        provider.Calls.ShouldBe(0);
    }
}
