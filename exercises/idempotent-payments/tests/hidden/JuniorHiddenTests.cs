using CodeLab.Judge;
using Shouldly;
using Xunit;
using static IdempotentPayments.Tests.Payments;

namespace IdempotentPayments.Tests;

[Trait("level", "junior")]
public sealed class JuniorHiddenTests
{
    [Fact(DisplayName = "The answer echoes amount and currency and carries the provider's chargeId")]
    [Trait("criterion", "idempotency")]
    public async Task Answer_carries_the_charge()
    {
        var provider = await ProviderAsync();
        var payment = NewPayment();

        var answer = await SendAsync(Pay(payment));

        answer.Status.ShouldBe(201, answer.ToString());
        provider.Charges.Count.ShouldBe(1, "one payment, one charge");
        answer.ChargeId.ShouldBe(provider.Charges[0].ChargeId);
        answer.Body.ShouldContain(payment.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        answer.Body.ShouldContain(payment.Currency);
        provider.Charges[0].Reference.ShouldBe(payment.Key, "the idempotency key is the charge's reference");
        provider.Charges[0].Amount.ShouldBe(payment.Amount);
        provider.Charges[0].Currency.ShouldBe(payment.Currency);
    }

    [Fact(DisplayName = "Three retries of one key: one charge, the same paymentId and chargeId every time")]
    [Trait("criterion", "idempotency")]
    public async Task Retries_return_the_stored_answer()
    {
        var provider = await ProviderAsync();
        var payment = NewPayment();

        var answers = new List<Answer>();
        for (var i = 0; i < 4; i++) answers.Add(await SendAsync(Pay(payment)));

        answers.ShouldAllBe(a => a.Status == 201, Describe(answers));
        answers.Select(a => a.PaymentId).Distinct().Count().ShouldBe(1, "every retry must return the first payment");
        answers.Select(a => a.ChargeId).Distinct().Count().ShouldBe(1);
        provider.Charges.Count.ShouldBe(1, $"one key was sent 4 times and the provider charged {provider.Charges.Count} times");
    }

    [Fact(DisplayName = "Different keys are different payments, and a key replayed after others still gets its own answer")]
    [Trait("criterion", "idempotency")]
    public async Task Keys_are_independent()
    {
        var provider = await ProviderAsync();
        var (a, b) = (NewPayment(), NewPayment());

        var first = await SendAsync(Pay(a));
        var other = await SendAsync(Pay(b));
        var replay = await SendAsync(Pay(a));

        first.Status.ShouldBe(201, first.ToString());
        other.Status.ShouldBe(201, other.ToString());
        other.PaymentId.ShouldNotBe(first.PaymentId);
        replay.PaymentId.ShouldBe(first.PaymentId);
        ChargeProblem(provider, new Dictionary<Payment, string?> { [a] = first.ChargeId, [b] = other.ChargeId }).ShouldBeNull();
    }

    [Theory(DisplayName = "An unusable Idempotency-Key is refused with 400")]
    [Trait("criterion", "validation")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("x101")]
    public async Task Bad_keys_are_refused(string key)
    {
        var provider = await ProviderAsync();
        if (key == "x101") key = new string('k', 101);

        var answer = await SendAsync(Pay(NewPayment() with { Key = key }));

        answer.Status.ShouldBe(400, answer.ToString());
        provider.Calls.ShouldBe(0, "nothing may be charged for a refused request");
    }

    [Fact(DisplayName = "An Idempotency-Key of exactly 100 characters is accepted and charged once")]
    [Trait("criterion", "validation")]
    public async Task Longest_key_is_accepted()
    {
        var provider = await ProviderAsync();
        var payment = NewPayment();
        payment = payment with { Key = (payment.Key + new string('k', 100))[..100] };

        var first = await SendAsync(Pay(payment));
        var replay = await SendAsync(Pay(payment));

        first.Status.ShouldBe(201, $"a key of 100 characters is within the limit: {first}");
        replay.PaymentId.ShouldBe(first.PaymentId, "the replay of a 100-character key must get the stored answer");
        provider.Charges.Count.ShouldBe(1);
    }

    [Theory(DisplayName = "A body that is not a positive whole amount and a three-letter currency is refused with 400")]
    [Trait("criterion", "validation")]
    [InlineData("""{ "amount": 0, "currency": "EUR" }""")]
    [InlineData("""{ "amount": -5, "currency": "EUR" }""")]
    [InlineData("""{ "amount": 12.5, "currency": "EUR" }""")]
    [InlineData("""{ "amount": 1250.0, "currency": "EUR" }""")]
    [InlineData("""{ "amount": "1250", "currency": "EUR" }""")]
    [InlineData("""{ "amount": 1250, "currency": "eur" }""")]
    [InlineData("""{ "amount": 1250, "currency": "EURO" }""")]
    [InlineData("""{ "amount": 1250 }""")]
    [InlineData("""{ "currency": "EUR" }""")]
    [InlineData("""not json""")]
    public async Task Bad_bodies_are_refused(string json)
    {
        var provider = await ProviderAsync();

        var answer = await SendAsync(Raw(PaymentTraffic.NewKey(), json));

        answer.Status.ShouldBe(400, answer.ToString());
        provider.Calls.ShouldBe(0, "nothing may be charged for a refused request");
    }
}
