using System.Net;
using CodeLab.Judge;
using Shouldly;
using Xunit;

namespace WebhookPipeline.Tests;

/// <summary>The shape of the API. The grader runs these with hidden tests of the same behaviour.</summary>
[Trait("level", "junior")]
public sealed class WebhooksPublicTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(DisplayName = "A signed event is acknowledged and its entry reaches the ledger once")]
    [Trait("criterion", "effects")]
    public async Task Signed_event_reaches_the_ledger()
    {
        var ledger = await LedgerFake.SharedAsync();
        ledger.Reset();
        var e = WebhookSender.NewEvent(sequence: 1);

        using var response = await Service.Client.SendAsync(e.Request(), Ct);

        ((int)response.StatusCode).ShouldBeInRange(200, 299);
        (await ledger.WaitUntilAsync(l => l.EntriesFor(e.Id).Count > 0, TimeSpan.FromSeconds(10), Ct))
            .ShouldBeTrue("the event's entry did not reach the ledger within 10 s");
        var entry = ledger.EntriesFor(e.Id).Single();
        entry.Account.ShouldBe(e.Account);
        entry.Sequence.ShouldBe(e.Sequence);
    }

    [Fact(DisplayName = "An event signed with another secret is refused with 401 and never reaches the ledger")]
    [Trait("criterion", "security")]
    public async Task Wrong_signature_is_refused()
    {
        var ledger = await LedgerFake.SharedAsync();
        ledger.Reset();
        var e = WebhookSender.NewEvent();
        var now = WebhookSender.Now();

        using var response = await Service.Client.SendAsync(
            WebhookSender.Request(e.Body, now.ToString(System.Globalization.CultureInfo.InvariantCulture), WebhookSender.Sign(now, e.Body, "whsec_wrong")), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        ledger.CallsFor(e.Id).ShouldBeEmpty();
    }

    [Fact(DisplayName = "A correctly signed body that is not an event is refused with 400")]
    [Trait("criterion", "validation")]
    public async Task Malformed_event_is_refused()
    {
        using var response = await Service.Client.SendAsync(WebhookSender.SignedRequest("""{ "id": "evt_1", "sequence": "seven" }"""), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
