using System.Globalization;
using CodeLab.Judge;
using Shouldly;
using Xunit;
using static WebhookPipeline.Tests.Webhooks;

namespace WebhookPipeline.Tests;

[Trait("level", "junior")]
public sealed class JuniorHiddenTests
{
    static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    [Fact(DisplayName = "A valid event is accepted and reaches the ledger once within 10 s, with its id, account and sequence, and nothing else reaches it")]
    [Trait("criterion", "effects")]
    public async Task Valid_event_has_one_effect()
    {
        var ledger = await LedgerAsync();
        var e = NewEvent(sequence: 7);

        var reply = await SendAsync(e.Request());
        reply.Accepted.ShouldBeTrue($"a valid, correctly signed event: {reply}");
        (await EntryAsync(ledger, e.Id)).ShouldBeTrue($"the event's entry did not reach the ledger within {EffectWithin.TotalSeconds:0} s (calls the ledger saw: {ledger.Calls.Count})");
        var marker = await SettleAsync(ledger);

        var entries = ledger.EntriesFor(e.Id);
        Checks.Record("ledger entries for one accepted event", 1, entries.Count);
        entries.Count.ShouldBe(1, "one event, one entry");
        entries[0].Account.ShouldBe(e.Account, "the entry must carry the event's account");
        entries[0].Sequence.ShouldBe(e.Sequence, "the entry must carry the event's sequence");
        ledger.Entries.Count.ShouldBe(2, $"two events were sent ({e.Id} and {marker.Id}) and the ledger recorded {ledger.Entries.Count} entries");
    }

    [Fact(DisplayName = "Two redeliveries of a processed event are accepted with a 2xx and have no further effect")]
    [Trait("criterion", "effects")]
    public async Task Redelivery_has_no_second_effect()
    {
        var ledger = await LedgerAsync();
        var e = NewEvent();

        (await SendAsync(e.Request())).Accepted.ShouldBeTrue();
        (await EntryAsync(ledger, e.Id)).ShouldBeTrue($"the event's entry did not reach the ledger within {EffectWithin.TotalSeconds:0} s");
        var again = await SendAsync(e.Request());
        var third = await SendAsync(e.Request());
        await SettleAsync(ledger);

        again.Accepted.ShouldBeTrue($"a redelivery must be acknowledged, or the sender keeps delivering it: {again}");
        third.Accepted.ShouldBeTrue($"a redelivery must be acknowledged: {third}");
        var count = ledger.EntriesFor(e.Id).Count;
        Checks.Record("ledger entries for one event delivered 3 times", 1, count);
        count.ShouldBe(1, $"one event delivered 3 times made {count} entries at the ledger");
    }

    [Fact(DisplayName = "10 copies of one event released at the same instant are all acknowledged and make exactly one entry")]
    [Trait("criterion", "effects")]
    public async Task Simultaneous_copies_have_one_effect()
    {
        var ledger = await LedgerAsync();
        var e = NewEvent();

        var replies = await BurstAsync(10, _ => e.Request());
        (await EntryAsync(ledger, e.Id)).ShouldBeTrue($"the event's entry did not reach the ledger within {EffectWithin.TotalSeconds:0} s ({Describe(replies)})");
        await SettleAsync(ledger);

        replies.ShouldAllBe(r => r.Accepted, Describe(replies));
        var count = ledger.EntriesFor(e.Id).Count;
        Checks.Record("ledger entries for one event delivered 10 times at the same instant", 1, count);
        count.ShouldBe(1, $"10 simultaneous copies of one event made {count} entries at the ledger");
    }

    [Fact(DisplayName = "20 different events sent at the same instant each make exactly one entry, with their own account and sequence")]
    [Trait("criterion", "effects")]
    public async Task Different_events_each_have_one_effect()
    {
        var ledger = await LedgerAsync();
        var accounts = Enumerable.Range(0, 4).Select(_ => WebhookSender.NewAccount()).ToArray();
        var events = Enumerable.Range(0, 20).Select(i => NewEvent(accounts[i % 4], i / 4 + 1)).ToArray();

        var replies = await BurstAsync(events.Length, n => events[(n - 1) % events.Length].Request());
        replies.ShouldAllBe(r => r.Accepted, Describe(replies));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var all = await EntriesAsync(ledger, events.Select(e => e.Id), EffectWithin);
        var ms = clock.Elapsed.TotalMilliseconds;
        Checks.Record("ms from the last acknowledgement of 20 events to their last entry", "< 10000", ms.ToString("0", CultureInfo.InvariantCulture), all && ms < 10_000);
        await SettleAsync(ledger);

        var problems = new List<string>();
        foreach (var e in events)
        {
            var entries = ledger.EntriesFor(e.Id);
            if (entries.Count != 1) problems.Add($"{e.Id}: {entries.Count} entries");
            else if (entries[0].Account != e.Account || entries[0].Sequence != e.Sequence)
                problems.Add($"{e.Id}: entry for {entries[0].Account} #{entries[0].Sequence}, event was {e.Account} #{e.Sequence}");
        }
        Checks.Record("events of 20 with exactly one matching entry", 20, 20 - problems.Count);
        problems.ShouldBeEmpty(string.Join("; ", problems.Take(5)));
        ledger.Entries.Count.ShouldBe(21, "20 events and one more sent after them");
    }

    [Fact(DisplayName = "Forged requests (no headers, wrong secret, tampered body, another timestamp than signed, malformed signature) get 401 and have no effect")]
    [Trait("criterion", "security")]
    public async Task Forged_requests_are_refused()
    {
        var ledger = await LedgerAsync();
        var now = WebhookSender.Now();
        var ts = Text(now);
        var cases = new List<(string Name, string Id, HttpRequestMessage Request)>();
        void Add(string name, Func<WebhookEvent, HttpRequestMessage> make)
        {
            var e = NewEvent();
            cases.Add((name, e.Id, make(e)));
        }
        Add("no signature headers", e => WebhookSender.Request(e.Body, null, null));
        Add("timestamp but no signature", e => WebhookSender.Request(e.Body, ts, null));
        Add("signature but no timestamp", e => WebhookSender.Request(e.Body, null, WebhookSender.Sign(now, e.Body)));
        Add("signed with another secret", e => WebhookSender.Request(e.Body, ts, WebhookSender.Sign(now, e.Body, "whsec_not_the_shared_secret")));
        Add("body changed after signing", e => WebhookSender.Request((e with { Amount = e.Amount + 1 }).Body, ts, WebhookSender.Sign(now, e.Body)));
        Add("signed for another timestamp", e => WebhookSender.Request(e.Body, ts, WebhookSender.Sign(now - 60, e.Body)));
        Add("signature over the body only", e => WebhookSender.Request(e.Body, ts,
            "v1=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(WebhookSender.Secret), System.Text.Encoding.UTF8.GetBytes(e.Body)))));
        Add("signature not hex", e => WebhookSender.Request(e.Body, ts, "v1=not-a-signature"));
        Add("empty signature", e => WebhookSender.Request(e.Body, ts, "v1="));

        var replies = new List<(string Name, string Id, Reply Reply)>();
        foreach (var (name, id, request) in cases) replies.Add((name, id, await SendAsync(request)));
        await SettleAsync(ledger);

        var wrong = replies.Where(r => r.Reply.Status != 401).Select(r => $"{r.Name}: {r.Reply.Status}").ToList();
        var processed = replies.Where(r => ledger.CallsFor(r.Id).Count > 0).Select(r => r.Name).ToList();
        Checks.Record("forged requests that reached the ledger", 0, processed.Count);
        processed.ShouldBeEmpty($"forged requests reached the ledger: {string.Join(", ", processed)}");
        wrong.ShouldBeEmpty($"forged requests must get 401: {string.Join(", ", wrong)}");
        ledger.Entries.Count.ShouldBe(1, "only the one valid event sent after the forgeries may have an entry");
    }

    [Fact(DisplayName = "Correctly signed requests with a timestamp 400 s old, 400 s ahead or not a number get 401 and have no effect; one 120 s old is accepted")]
    [Trait("criterion", "security")]
    public async Task Stale_timestamps_are_refused()
    {
        var ledger = await LedgerAsync();
        var now = WebhookSender.Now();
        var cases = new List<(string Name, string Id, HttpRequestMessage Request)>();
        foreach (var (name, offset) in new[] { ("400 s old (a replay)", -400L), ("400 s ahead", 400L) })
        {
            var e = NewEvent();
            cases.Add((name, e.Id, WebhookSender.Request(e.Body, Text(now + offset), WebhookSender.Sign(now + offset, e.Body))));
        }
        {
            var e = NewEvent();
            var mac = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
                System.Text.Encoding.UTF8.GetBytes(WebhookSender.Secret), System.Text.Encoding.UTF8.GetBytes("yesterday." + e.Body)));
            cases.Add(("timestamp 'yesterday'", e.Id, WebhookSender.Request(e.Body, "yesterday", "v1=" + mac)));
        }
        var recent = NewEvent();

        var replies = new List<(string Name, string Id, Reply Reply)>();
        foreach (var (name, id, request) in cases) replies.Add((name, id, await SendAsync(request)));
        var recentReply = await SendAsync(WebhookSender.Request(recent.Body, Text(now - 120), WebhookSender.Sign(now - 120, recent.Body)));
        var recentDone = await EntryAsync(ledger, recent.Id);
        await SettleAsync(ledger);

        var wrong = replies.Where(r => r.Reply.Status != 401).Select(r => $"{r.Name}: {r.Reply.Status}").ToList();
        var processed = replies.Where(r => ledger.CallsFor(r.Id).Count > 0).Select(r => r.Name).ToList();
        Checks.Record("requests with a stale timestamp that reached the ledger", 0, processed.Count);
        processed.ShouldBeEmpty($"requests outside the 5-minute window reached the ledger: {string.Join(", ", processed)}");
        wrong.ShouldBeEmpty($"requests outside the 5-minute window must get 401: {string.Join(", ", wrong)}");
        recentReply.Accepted.ShouldBeTrue($"a correctly signed event 120 s old is inside the 5-minute window: {recentReply}");
        recentDone.ShouldBeTrue("a correctly signed event 120 s old must be processed");
    }

    [Fact(DisplayName = "Malformed events, correctly signed (not an object, missing or empty id/type/account, sequence not a whole number >= 0), get 400 and have no effect")]
    [Trait("criterion", "validation")]
    public async Task Malformed_events_are_refused()
    {
        var ledger = await LedgerAsync();
        string Id() => WebhookSender.NewId();
        var bodies = new (string Name, string Body)[]
        {
            ("not JSON", "not json"),
            ("a JSON array", "[]"),
            ("a JSON string", "\"evt\""),
            ("no id", $$"""{ "type": "payment.succeeded", "account": "acct_1", "sequence": 1, "data": {} }"""),
            ("empty id", """{ "id": "", "type": "payment.succeeded", "account": "acct_1", "sequence": 1, "data": {} }"""),
            ("numeric id", """{ "id": 12345, "type": "payment.succeeded", "account": "acct_1", "sequence": 1, "data": {} }"""),
            ("no type", $$"""{ "id": "{{Id()}}", "account": "acct_1", "sequence": 1, "data": {} }"""),
            ("no account", $$"""{ "id": "{{Id()}}", "type": "payment.succeeded", "sequence": 1, "data": {} }"""),
            ("empty account", $$"""{ "id": "{{Id()}}", "type": "payment.succeeded", "account": "", "sequence": 1, "data": {} }"""),
            ("no sequence", $$"""{ "id": "{{Id()}}", "type": "payment.succeeded", "account": "acct_1", "data": {} }"""),
            ("sequence \"7\"", $$"""{ "id": "{{Id()}}", "type": "payment.succeeded", "account": "acct_1", "sequence": "7", "data": {} }"""),
            ("sequence 7.5", $$"""{ "id": "{{Id()}}", "type": "payment.succeeded", "account": "acct_1", "sequence": 7.5, "data": {} }"""),
            ("sequence 7.0", $$"""{ "id": "{{Id()}}", "type": "payment.succeeded", "account": "acct_1", "sequence": 7.0, "data": {} }"""),
            ("sequence -1", $$"""{ "id": "{{Id()}}", "type": "payment.succeeded", "account": "acct_1", "sequence": -1, "data": {} }"""),
        };

        var replies = new List<(string Name, Reply Reply)>();
        foreach (var (name, body) in bodies) replies.Add((name, await SendAsync(WebhookSender.SignedRequest(body))));
        var marker = await SettleAsync(ledger);

        var wrong = replies.Where(r => r.Reply.Status != 400).Select(r => $"{r.Name}: {r.Reply.Status}").ToList();
        var others = ledger.Calls.Where(c => c.EventId != marker.Id).ToList();
        Checks.Record("ledger calls for malformed events", 0, others.Count);
        wrong.ShouldBeEmpty($"malformed events must get 400: {string.Join(", ", wrong)}");
        others.ShouldBeEmpty($"malformed events reached the ledger ({others.Count} call(s))");
    }

    [Fact(DisplayName = "Events with sequence 0 and data absent, null or an array are valid: accepted and processed once")]
    [Trait("criterion", "validation")]
    public async Task Unusual_valid_events_are_processed()
    {
        var ledger = await LedgerAsync();
        var events = new[]
        {
            (Id: WebhookSender.NewId(), Data: ""),
            (Id: WebhookSender.NewId(), Data: ", \"data\": null"),
            (Id: WebhookSender.NewId(), Data: ", \"data\": [1, \"two\"]"),
        };

        var replies = new List<Reply>();
        foreach (var (id, data) in events)
            replies.Add(await SendAsync(WebhookSender.SignedRequest($$"""{"id":"{{id}}","type":"invoice.paid","account":"acct_zero","sequence":0{{data}}}""")));
        replies.ShouldAllBe(r => r.Accepted, Describe(replies));
        (await EntriesAsync(ledger, events.Select(e => e.Id), EffectWithin)).ShouldBeTrue(
            $"valid events with sequence 0 and unusual data had {events.Count(e => ledger.EntriesFor(e.Id).Count > 0)} of 3 entries after {EffectWithin.TotalSeconds:0} s");
        foreach (var (id, _) in events) ledger.EntriesFor(id).Count.ShouldBe(1);
    }
}
