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
        var key = NewKey();

        var first = await SendAsync(Service.Replicas[0], Pay(key));
        var other = await SendAsync(Service.Replicas[1], Pay(key));

        first.Status.ShouldBe(201, first.ToString());
        other.Status.ShouldBe(201, $"replica 2 must know the payment replica 1 made: {other}");
        other.PaymentId.ShouldBe(first.PaymentId);
        provider.ChargesFor(key).ShouldBe(1);
    }

    [Fact(DisplayName = "20 duplicates at once, spread over both replicas: exactly one charge")]
    [Trait("criterion", "replicas")]
    public async Task Burst_over_replicas_charges_once()
    {
        var provider = await ProviderAsync();
        provider.Delay = TimeSpan.FromMilliseconds(300);
        var key = NewKey();

        var answers = await BurstAsync(20, _ => Pay(key));
        Checks.Record("charges for one key after 20 simultaneous requests (two replicas)", 1, provider.ChargesFor(key));

        provider.ChargesFor(key).ShouldBe(1, $"charged {provider.ChargesFor(key)} times ({Describe(answers)})");
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
        var keys = Enumerable.Range(0, 12).Select(_ => NewKey()).ToArray();
        var created = new ConcurrentDictionary<string, ConcurrentBag<Answer>>();
        var gaveUp = new ConcurrentBag<string>();

        // Two clients per key, one on each replica, each retrying until it gets 201 (at-least-once delivery).
        async Task RetryAsync(string key, int replica)
        {
            for (var attempt = 0; attempt < 40; attempt++)
            {
                var answer = await SendAsync(Service.Replicas[replica], Pay(key));
                if (answer.Status == 201)
                {
                    created.GetOrAdd(key, _ => []).Add(answer);
                    return;
                }
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }
            gaveUp.Add(key);
        }
        await Task.WhenAll(keys.SelectMany(k => new[] { RetryAsync(k, 0), RetryAsync(k, 1) }));
        Checks.Record($"keys charged more than once (of {keys.Length}, clients retrying on both replicas)", 0, keys.Count(k => provider.ChargesFor(k) > 1));
        Checks.Record($"keys never answered 201 (of {keys.Length})", 0, gaveUp.Distinct().Count());

        gaveUp.ShouldBeEmpty("these keys never got a 201 after 40 retries: a payment was lost or a key is stuck");
        foreach (var key in keys)
        {
            provider.ChargesFor(key).ShouldBe(1, $"key {key} was charged {provider.ChargesFor(key)} times");
            created[key].Select(a => a.PaymentId).Distinct().Count().ShouldBe(1, $"key {key} got different answers");
            created[key].Select(a => a.ChargeId).Distinct().Single().ShouldBe(provider.Charges.Single(c => c.Reference == key).ChargeId);
        }
    }
}
