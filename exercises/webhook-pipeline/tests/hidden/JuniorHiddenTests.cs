using System.Globalization;
using CodeLab.Judge;
using Shouldly;
using Xunit;
using static WebhookPipeline.Tests.Webhooks;

namespace WebhookPipeline.Tests;

/// <remarks>
/// The tests of one criterion share their requests and the statement's watch after them (<see cref="JuniorActs"/>):
/// each judges its own events in what the ledger recorded by the end of that watch.
/// </remarks>
[Trait("level", "junior")]
public sealed class JuniorHiddenTests
{
    [Fact(DisplayName = "A valid event is accepted and reaches the ledger once within 10 s, with its id, account and sequence, and nothing else reaches it")]
    [Trait("criterion", "effects")]
    public async Task Valid_event_has_one_effect()
    {
        var acts = await JuniorActs.Effects;
        var e = acts.Valid;
        var sent = await acts.ValidSent;

        sent.Reply.Accepted.ShouldBeTrue($"a valid, correctly signed event: {sent.Reply}");
        sent.Entry.ShouldBeTrue($"the event's entry did not reach the ledger within {EffectWithin.TotalSeconds:0} s (calls the ledger saw for it: {sent.Calls})");
        var ledger = acts.Watched.Ok();

        var entries = ledger.EntriesFor(e.Id);
        Checks.Record("ledger entries for one accepted event", 1, entries.Count);
        entries.Count.ShouldBe(1, "one event, one entry");
        entries[0].Account.ShouldBe(e.Account, "the entry must carry the event's account");
        entries[0].Sequence.ShouldBe(e.Sequence, "the entry must carry the event's sequence");
        NothingElse(acts, ledger);
    }

    [Fact(DisplayName = "Two redeliveries of a processed event are accepted with a 2xx and have no further effect")]
    [Trait("criterion", "effects")]
    public async Task Redelivery_has_no_second_effect()
    {
        var acts = await JuniorActs.Effects;
        var sent = await acts.RedeliveredSent;

        sent.First.Accepted.ShouldBeTrue($"a valid, correctly signed event: {sent.First}");
        sent.Entry.ShouldBeTrue($"the event's entry did not reach the ledger within {EffectWithin.TotalSeconds:0} s");
        var ledger = acts.Watched.Ok();

        sent.Again!.Accepted.ShouldBeTrue($"a redelivery must be acknowledged, or the sender keeps delivering it: {sent.Again}");
        sent.Third!.Accepted.ShouldBeTrue($"a redelivery must be acknowledged: {sent.Third}");
        var count = ledger.EntriesFor(acts.Redelivered.Id).Count;
        Checks.Record("ledger entries for one event delivered 3 times", 1, count);
        count.ShouldBe(1, $"one event delivered 3 times made {count} entries at the ledger");
    }

    [Fact(DisplayName = "10 copies of one event released at the same instant are all acknowledged and make exactly one entry")]
    [Trait("criterion", "effects")]
    public async Task Simultaneous_copies_have_one_effect()
    {
        var acts = await JuniorActs.Effects;
        var sent = await acts.CopiedSent;

        sent.Entry.ShouldBeTrue($"the event's entry did not reach the ledger within {EffectWithin.TotalSeconds:0} s ({Describe(sent.Replies)})");
        var ledger = acts.Watched.Ok();

        sent.Replies.ShouldAllBe(r => r.Accepted, Describe(sent.Replies));
        var count = ledger.EntriesFor(acts.Copied.Id).Count;
        Checks.Record("ledger entries for one event delivered 10 times at the same instant", 1, count);
        count.ShouldBe(1, $"10 simultaneous copies of one event made {count} entries at the ledger");
    }

    [Fact(DisplayName = "20 different events sent at the same instant each make exactly one entry, with their own account and sequence")]
    [Trait("criterion", "effects")]
    public async Task Different_events_each_have_one_effect()
    {
        var acts = await JuniorActs.Effects;
        var sent = await acts.TwentySent;

        sent.Replies.ShouldAllBe(r => r.Accepted, Describe(sent.Replies));
        Checks.Record("ms from the last acknowledgement of 20 events to their last entry", "< 10000",
            sent.Ms.ToString("0", CultureInfo.InvariantCulture), sent.AllEntries && sent.Ms < 10_000);
        var ledger = acts.Watched.Ok();

        var problems = new List<string>();
        foreach (var e in acts.Twenty)
        {
            var entries = ledger.EntriesFor(e.Id);
            if (entries.Count != 1) problems.Add($"{e.Id}: {entries.Count} entries");
            else if (entries[0].Account != e.Account || entries[0].Sequence != e.Sequence)
                problems.Add($"{e.Id}: entry for {entries[0].Account} #{entries[0].Sequence}, event was {e.Account} #{e.Sequence}");
        }
        Checks.Record("events of 20 with exactly one matching entry", 20, 20 - problems.Count);
        problems.ShouldBeEmpty(string.Join("; ", problems.Take(5)));
        NothingElse(acts, ledger);
    }

    /// <summary>No entry for an event the grader never sent, and one for the marker sent after the events.</summary>
    static void NothingElse(EffectsActs acts, Watched ledger)
    {
        var others = ledger.EntriesBeside(acts.Ids);
        others.ShouldBeEmpty($"the ledger recorded {others.Count} entries for events the grader never sent ({string.Join(", ", others.Take(3).Select(o => o.EventId))})");
        var marker = ledger.EntriesFor(ledger.Marker!.Id).Count;
        marker.ShouldBe(1, $"one valid event sent after the others ({ledger.Marker!.Id}) made {marker} entries");
    }

    [Fact(DisplayName = "Forged requests (no headers, wrong secret, tampered body, another timestamp than signed, malformed signature) get 401 and have no effect")]
    [Trait("criterion", "security")]
    public async Task Forged_requests_are_refused()
    {
        var acts = await JuniorActs.Security;
        var replies = (await acts.ForgedSent).Replies;
        var ledger = acts.Watched.Ok();

        var wrong = replies.Where(r => r.Reply.Status != 401).Select(r => $"{r.Name}: {r.Reply.Status}").ToList();
        var processed = replies.Where(r => ledger.CallsFor(r.Id).Count > 0).Select(r => r.Name).ToList();
        Checks.Record("forged requests that reached the ledger", 0, processed.Count);
        processed.ShouldBeEmpty($"forged requests reached the ledger: {string.Join(", ", processed)}");
        wrong.ShouldBeEmpty($"forged requests must get 401: {string.Join(", ", wrong)}");
        // The stale requests' effects are the next test's to judge; the valid event 120 s old has its one entry.
        var others = ledger.EntriesBeside(acts.Stale.Select(s => s.Id).Append(acts.Recent.Id));
        var marker = ledger.EntriesFor(ledger.Marker!.Id).Count;
        (others.Count + marker).ShouldBe(1, "only the one valid event sent after the forgeries may have an entry");
    }

    [Fact(DisplayName = "Correctly signed requests with a timestamp 400 s old, 400 s ahead or not a number get 401 and have no effect; one 120 s old is accepted")]
    [Trait("criterion", "security")]
    public async Task Stale_timestamps_are_refused()
    {
        var acts = await JuniorActs.Security;
        var replies = (await acts.StaleSent).Replies;
        var recent = await acts.RecentSent;
        var ledger = acts.Watched.Ok();

        var wrong = replies.Where(r => r.Reply.Status != 401).Select(r => $"{r.Name}: {r.Reply.Status}").ToList();
        var processed = replies.Where(r => ledger.CallsFor(r.Id).Count > 0).Select(r => r.Name).ToList();
        Checks.Record("requests with a stale timestamp that reached the ledger", 0, processed.Count);
        processed.ShouldBeEmpty($"requests outside the 5-minute window reached the ledger: {string.Join(", ", processed)}");
        wrong.ShouldBeEmpty($"requests outside the 5-minute window must get 401: {string.Join(", ", wrong)}");
        recent.Reply.Accepted.ShouldBeTrue($"a correctly signed event 120 s old is inside the 5-minute window: {recent.Reply}");
        recent.Entry.ShouldBeTrue("a correctly signed event 120 s old must be processed");
    }

    [Fact(DisplayName = "Malformed events, correctly signed (not an object, missing or empty id/type/account, sequence not a whole number >= 0), get 400 and have no effect")]
    [Trait("criterion", "validation")]
    public async Task Malformed_events_are_refused()
    {
        var acts = await JuniorActs.Validation;
        var replies = (await acts.MalformedSent).Replies;
        var ledger = acts.Watched.Ok();

        var wrong = replies.Where(r => r.Reply.Status != 400).Select(r => $"{r.Name}: {r.Reply.Status}").ToList();
        var others = ledger.CallsBeside(acts.Unusual);
        Checks.Record("ledger calls for malformed events", 0, others.Count);
        wrong.ShouldBeEmpty($"malformed events must get 400: {string.Join(", ", wrong)}");
        others.ShouldBeEmpty($"malformed events reached the ledger ({others.Count} call(s))");
    }

    [Fact(DisplayName = "Events with sequence 0 and data absent, null or an array are valid: accepted and processed once")]
    [Trait("criterion", "validation")]
    public async Task Unusual_valid_events_are_processed()
    {
        var acts = await JuniorActs.Validation;
        var sent = await acts.UnusualSent;

        sent.Replies.ShouldAllBe(r => r.Accepted, Describe(sent.Replies));
        // Counted after the watch, whether or not its marker came: this test judges no "nothing else".
        var ledger = acts.Watched;
        sent.AllEntries.ShouldBeTrue(
            $"valid events with sequence 0 and unusual data had {acts.Unusual.Count(id => ledger.EntriesFor(id).Count > 0)} of 3 entries after {EffectWithin.TotalSeconds:0} s");
        foreach (var id in acts.Unusual) ledger.EntriesFor(id).Count.ShouldBe(1);
    }
}
