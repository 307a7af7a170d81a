using System.Collections.Concurrent;
using CodeLab.Judge;
using Shouldly;
using Xunit;
using static IdempotentPayments.Tests.Payments;

namespace IdempotentPayments.Tests;

[Trait("level", "senior")]
public sealed class SeniorHiddenTests
{
    [Fact(DisplayName = "A payment made on one replica is replayed by the other, without a second charge")]
    [Trait("criterion", "replicas")]
    public async Task Replicas_share_answers()
    {
        var provider = await ProviderAsync();
        var payment = NewPayment();

        var first = await SendAsync(Service.Replicas[0], Pay(payment));
        var other = await SendAsync(Service.Replicas[1], Pay(payment));

        first.Status.ShouldBe(201, first.ToString());
        other.Status.ShouldBe(201, $"replica 2 must know the payment replica 1 made: {other}");
        other.PaymentId.ShouldBe(first.PaymentId);
        provider.Charges.Count.ShouldBe(1);
    }

    [Fact(DisplayName = "20 duplicates at once, spread over both replicas: exactly one charge")]
    [Trait("criterion", "replicas")]
    public async Task Burst_over_replicas_charges_once()
    {
        var provider = await ProviderAsync();
        provider.Delay = TimeSpan.FromMilliseconds(300);
        var payment = NewPayment();

        var answers = await BurstAsync(20, _ => Pay(payment));
        Checks.Record("charges for one key after 20 simultaneous requests (two replicas)", 1, provider.Charges.Count);

        provider.Charges.Count.ShouldBe(1, $"charged {provider.Charges.Count} times ({Describe(answers)})");
        answers.Where(a => a.Status == 201).Select(a => a.PaymentId).Distinct().Count().ShouldBe(1, Describe(answers));
        answers.Where(a => a.Status != 201).ShouldAllBe(a => a.Status == 409, Describe(answers));
    }

    [Fact(DisplayName = "Clients retrying on both replicas while the provider is slow and fails every 3rd call: every key charged exactly once, one stable answer")]
    [Trait("criterion", "replicas")]
    public async Task Retries_over_a_flaky_provider_lose_nothing_and_charge_once()
    {
        var provider = await ProviderAsync();
        provider.Delay = TimeSpan.FromMilliseconds(100);
        provider.FailEvery = 3;
        var payments = Enumerable.Range(0, 12).Select(_ => NewPayment()).ToArray();
        var created = new ConcurrentDictionary<Payment, ConcurrentBag<Answer>>();
        var gaveUp = new ConcurrentBag<Payment>();

        // Two clients per key, one on each replica, each retrying until it gets 201 (at-least-once delivery).
        async Task RetryAsync(Payment payment, int replica)
        {
            for (var attempt = 0; attempt < 40; attempt++)
            {
                var answer = await SendAsync(Service.Replicas[replica], Pay(payment));
                if (answer.Status == 201)
                {
                    created.GetOrAdd(payment, _ => []).Add(answer);
                    return;
                }
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }
            gaveUp.Add(payment);
        }
        await Task.WhenAll(payments.SelectMany(p => new[] { RetryAsync(p, 0), RetryAsync(p, 1) }));
        Checks.Record($"charges the provider accepted for {payments.Length} payments (clients retrying on both replicas)", payments.Length, provider.Charges.Count);
        Checks.Record($"keys never answered 201 (of {payments.Length})", 0, gaveUp.Distinct().Count());

        gaveUp.ShouldBeEmpty("these keys never got a 201 after 40 retries: a payment was lost or a key is stuck");
        foreach (var payment in payments)
        {
            created[payment].Select(a => a.PaymentId).Distinct().Count().ShouldBe(1, $"key {payment.Key} got different answers");
            created[payment].Select(a => a.ChargeId).Distinct().Count().ShouldBe(1, $"key {payment.Key} got different charges");
        }
        ChargeProblem(provider, created.ToDictionary(c => c.Key, c => c.Value.First().ChargeId)).ShouldBeNull();
    }
}
