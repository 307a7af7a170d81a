extern alias judge;

using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using judge::CodeLab.Judge;

namespace CodeLab.Grading.Tests;

/// <summary>
/// A hidden test keeps a call in flight with the longest delay its statement allows and ends the wait once it has
/// seen what it looks for (<see cref="CallDelay"/>). The real fakes on loopback: ending the delays answers the calls
/// waiting now, as they would have been answered, and the next call waits its delay again.
/// </summary>
public sealed class FakeDelayTests
{
    /// <summary>Far longer than any test runs: a call answered at all was answered because its wait was ended.</summary>
    static readonly TimeSpan Long = TimeSpan.FromMinutes(10);

    /// <summary>Guards against a hang only.</summary>
    static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ending_the_ledgers_delays_answers_the_calls_waiting_now_and_not_the_next_one()
    {
        var url = LoopbackUrl();
        await using var ledger = await LedgerFake.StartAsync(url, Ct);
        using var client = new HttpClient { BaseAddress = new Uri(url), Timeout = Timeout.InfiniteTimeSpan };
        ledger.Delay = Long;

        var first = client.PostAsJsonAsync("/entries", new { eventId = "e1", account = "a", sequence = 1 }, Ct);
        (await ledger.WaitUntilAsync(l => l.Calls.Count == 1, HangGuard, Ct)).ShouldBeTrue("the call never reached the ledger");
        ledger.EndDelays();
        using (var answer = await first.WaitAsync(HangGuard, Ct))
            answer.StatusCode.ShouldBe(HttpStatusCode.Created, "an ended wait answers the call as it would have been answered");
        ledger.EntriesFor("e1").Count.ShouldBe(1);

        var second = client.PostAsJsonAsync("/entries", new { eventId = "e2", account = "a", sequence = 2 }, Ct);
        (await ledger.WaitUntilAsync(l => l.Calls.Count == 2, HangGuard, Ct)).ShouldBeTrue("the second call never reached the ledger");
        ledger.InFlight.ShouldBe(1, "a call that arrived after the delays were ended waits its delay");
        ledger.EntriesFor("e2").ShouldBeEmpty();

        ledger.EndDelays();
        using (var answer = await second.WaitAsync(HangGuard, Ct))
            answer.StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Ending_the_providers_delays_answers_the_charge_waiting_now_and_not_the_next_one()
    {
        var url = LoopbackUrl();
        await using var provider = await PaymentProviderFake.StartAsync(url, Ct);
        using var client = new HttpClient { BaseAddress = new Uri(url), Timeout = Timeout.InfiniteTimeSpan };
        provider.Delay = Long;

        var first = client.PostAsJsonAsync("/charges", new { amount = 1250, currency = "EUR", reference = "p1" }, Ct);
        (await provider.WaitForCallsAsync(1, HangGuard, Ct)).ShouldBeTrue("the charge never reached the provider");
        provider.EndDelays();
        using (var answer = await first.WaitAsync(HangGuard, Ct))
            answer.StatusCode.ShouldBe(HttpStatusCode.Created, "an ended wait answers the charge as it would have been answered");
        provider.Charges.Count.ShouldBe(1);

        var second = client.PostAsJsonAsync("/charges", new { amount = 1250, currency = "EUR", reference = "p2" }, Ct);
        (await provider.WaitForCallsAsync(2, HangGuard, Ct)).ShouldBeTrue("the second charge never reached the provider");
        await Task.Delay(300, Ct);
        second.IsCompleted.ShouldBeFalse("a charge that arrived after the delays were ended waits its delay");
        provider.Charges.Count.ShouldBe(1);

        provider.EndDelays();
        using (var answer = await second.WaitAsync(HangGuard, Ct))
            answer.StatusCode.ShouldBe(HttpStatusCode.Created);
        provider.Charges.Count.ShouldBe(2);
    }

    /// <summary>A loopback address with a port free a moment ago.</summary>
    static string LoopbackUrl()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}";
    }
}
