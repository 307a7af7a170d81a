using CodeLab.Judge;
using Shouldly;
using Xunit;
using static IdempotentPayments.Tests.Payments;

namespace IdempotentPayments.Tests;

[Trait("level", "mid")]
public sealed class MidHiddenTests
{
    [Fact(DisplayName = "The same key with a different amount or currency is refused with 422 and charges nothing more")]
    [Trait("criterion", "fingerprint")]
    public async Task Changed_body_is_refused()
    {
        var provider = await ProviderAsync();
        var payment = NewPayment();

        var first = await SendAsync(Pay(payment));
        var otherAmount = await SendAsync(Pay(PaymentTraffic.Changed(payment)));
        var otherCurrency = await SendAsync(Pay(PaymentTraffic.Changed(payment, currency: true)));
        var replay = await SendAsync(Pay(payment));

        first.Status.ShouldBe(201, first.ToString());
        otherAmount.Status.ShouldBe(422, $"a different amount under a used key: {otherAmount}");
        otherCurrency.Status.ShouldBe(422, $"a different currency under a used key: {otherCurrency}");
        replay.PaymentId.ShouldBe(first.PaymentId, "the original request still gets its answer");
        provider.Charges.Count.ShouldBe(1, "one charge for the key, whatever else was sent under it");
    }

    [Fact(DisplayName = "20 duplicates released at the same instant: exactly one charge, one answer, 409 for the rest")]
    [Trait("criterion", "concurrency")]
    public async Task Burst_of_duplicates_charges_once()
    {
        var provider = await ProviderAsync();
        provider.Delay = TimeSpan.FromMilliseconds(300); // a real provider takes a while: the race window is real
        var payment = NewPayment();

        var answers = await BurstAsync(20, _ => Pay(payment));
        provider.Delay = TimeSpan.Zero;
        var after = await SendAsync(Pay(payment));
        Checks.Record("charges for one key after 20 simultaneous requests (one replica)", 1, provider.Charges.Count);

        provider.Charges.Count.ShouldBe(1, $"20 simultaneous requests with one key made {provider.Charges.Count} charges ({Describe(answers)})");
        var created = answers.Where(a => a.Status == 201).ToList();
        created.ShouldNotBeEmpty(Describe(answers));
        created.Select(a => a.PaymentId).Distinct().Count().ShouldBe(1, "every 201 must be the same payment");
        answers.Where(a => a.Status != 201).ShouldAllBe(a => a.Status == 409, Describe(answers));
        after.Status.ShouldBe(201, after.ToString());
        after.PaymentId.ShouldBe(created[0].PaymentId);
    }

    [Fact(DisplayName = "A duplicate that arrives while the first call is in flight answers 409; later ones get the answer")]
    [Trait("criterion", "concurrency")]
    public async Task In_flight_duplicate_is_a_conflict()
    {
        var provider = await ProviderAsync();
        provider.Delay = TimeSpan.FromMilliseconds(1500);
        var payment = NewPayment();

        var first = SendAsync(Pay(payment));
        await Task.Delay(500, TestContext.Current.CancellationToken);
        var duplicate = await SendAsync(Pay(payment));
        var original = await first;
        var later = await SendAsync(Pay(payment));

        duplicate.Status.ShouldBe(409, $"while the first call was still charging: {duplicate}");
        original.Status.ShouldBe(201, original.ToString());
        later.PaymentId.ShouldBe(original.PaymentId);
        provider.Charges.Count.ShouldBe(1);
    }

    [Fact(DisplayName = "Different keys at the same instant are all charged (no global lock)")]
    [Trait("criterion", "concurrency")]
    public async Task Burst_of_different_keys_all_succeed()
    {
        var provider = await ProviderAsync();
        provider.Delay = TimeSpan.FromMilliseconds(200);
        var payments = Enumerable.Range(0, 10).Select(_ => NewPayment()).ToArray();
        var answered = new System.Collections.Concurrent.ConcurrentDictionary<Payment, string?>();

        var answers = await BurstAsync(10, n => Pay(payments[(n - 1) % payments.Length]), (n, answer) => answered[payments[(n - 1) % payments.Length]] = answer.ChargeId);

        answers.ShouldAllBe(a => a.Status == 201, Describe(answers));
        answers.Select(a => a.PaymentId).Distinct().Count().ShouldBe(10);
        ChargeProblem(provider, answered).ShouldBeNull();
    }

    [Fact(DisplayName = "A provider failure answers 502 and is not stored: the retry charges once and succeeds")]
    [Trait("criterion", "failures")]
    public async Task Provider_failure_is_not_the_final_answer()
    {
        var provider = await ProviderAsync();
        provider.FailEvery = 1;
        var payment = NewPayment();

        var failed = await SendAsync(Pay(payment));
        provider.FailEvery = 0;
        var retry = await SendAsync(Pay(payment));
        var replay = await SendAsync(Pay(payment));
        Checks.Record("status of the retry after a provider failure", 201, retry.Status);

        failed.Status.ShouldBe(502, $"the provider answered 503: {failed}");
        retry.Status.ShouldBe(201, $"the provider works again, so the retry must charge: {retry}");
        replay.PaymentId.ShouldBe(retry.PaymentId);
        provider.Charges.Count.ShouldBe(1);
    }

    [Fact(DisplayName = "Answers are kept in Redis and every key written expires (the answer lives at least an hour)")]
    [Trait("criterion", "durability")]
    public async Task Answers_live_in_redis_with_a_ttl()
    {
        await ProviderAsync();

        (await SendAsync(Pay(NewPayment()))).Status.ShouldBe(201);
        await using var redis = await RedisProbe.ConnectAsync();
        var ttls = await redis.SnapshotAsync();

        ttls.ShouldNotBeEmpty("nothing was written to Redis: a restart or another instance would forget the payment");
        ttls.Where(t => t.Value == -1).Select(t => t.Key).ShouldBeEmpty("these keys never expire");
        ttls.Values.Max().ShouldBeGreaterThanOrEqualTo(3_600_000, "an answer should be remembered for at least an hour");
    }

    [Fact(DisplayName = "A restart of the service loses nothing: the retry after it returns the same payment")]
    [Trait("criterion", "durability")]
    public async Task Restart_loses_nothing()
    {
        var provider = await ProviderAsync();
        var payment = NewPayment();

        var before = await SendAsync(Pay(payment));
        await Control.RestartServiceAsync(1, TestContext.Current.CancellationToken);
        var after = await SendAsync(Pay(payment));
        Checks.Record("payment remembered across a service restart", true, after.PaymentId == before.PaymentId);

        before.Status.ShouldBe(201, before.ToString());
        after.Status.ShouldBe(201, $"after a restart: {after}");
        after.PaymentId.ShouldBe(before.PaymentId, "the service forgot the payment when it restarted");
        provider.Charges.Count.ShouldBe(1, "the retry after the restart charged again");
    }

    [Fact(DisplayName = "While a payment is in flight its claim is in Redis and expires (a crash must not block the key forever)")]
    [Trait("criterion", "durability")]
    public async Task In_flight_claim_expires()
    {
        var provider = await ProviderAsync();
        provider.Delay = TimeSpan.FromMilliseconds(1500);
        var payment = NewPayment();

        var call = SendAsync(Pay(payment));
        await Task.Delay(500, TestContext.Current.CancellationToken);
        await using var redis = await RedisProbe.ConnectAsync();
        var claims = await redis.SnapshotAsync($"*{payment.Key}*");
        (await call).Status.ShouldBe(201);

        claims.ShouldNotBeEmpty("no Redis key names the idempotency key while its payment is in flight: another instance could charge it again");
        claims.Values.ShouldAllBe(ttl => ttl > 0, $"a claim without expiry blocks its key forever if the instance crashes ({string.Join(", ", claims.Select(c => $"{c.Key}: {c.Value} ms"))})");
    }
}
