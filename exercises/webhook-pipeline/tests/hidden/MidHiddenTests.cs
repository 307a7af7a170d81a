using System.Globalization;
using CodeLab.Judge;
using Shouldly;
using Xunit;
using static WebhookPipeline.Tests.Webhooks;

namespace WebhookPipeline.Tests;

[Trait("level", "mid")]
public sealed class MidHiddenTests
{
    /// <summary>The statement's bound for a retry sequence or a dead letter while the ledger answers at once.</summary>
    static readonly TimeSpan RetriesWithin = TimeSpan.FromSeconds(30);

    /// <summary>The statement's bound after a restart.</summary>
    static readonly TimeSpan AfterRestartWithin = TimeSpan.FromSeconds(30);

    static string Ms(double value) => value.ToString("0", CultureInfo.InvariantCulture);

    [Fact(DisplayName = "Median time to a 2xx of 7 events sent one after another while each ledger call takes 3 s is under 1 s")]
    [Trait("criterion", "acknowledge")]
    public async Task Acknowledges_before_the_work()
    {
        var ledger = await LedgerAsync();
        ledger.Delay = TimeSpan.FromSeconds(3);
        var events = Enumerable.Range(0, 7).Select(_ => NewEvent()).ToArray();

        var replies = new List<Reply>();
        foreach (var e in events) replies.Add(await SendAsync(e.Request()));
        // Let the work finish (not graded here), so it does not spill into the next test. The acknowledgements are
        // measured: from here the ledger answers at once, the calls already in it too, so a service that books one
        // event at a time is not waited for 7 x 3 s.
        ledger.Delay = TimeSpan.Zero;
        ledger.EndDelays();
        await EntriesAsync(ledger, events.Select(e => e.Id), TimeSpan.FromSeconds(25));

        var times = replies.Select(r => r.Ms).Order().ToArray();
        var median = times[times.Length / 2];
        Checks.Record("median ms to acknowledge an event while the ledger takes 3 s (7 events)", "< 1000", Ms(median), median < 1000);
        replies.ShouldAllBe(r => r.Accepted, Describe(replies));
        median.ShouldBeLessThan(1000, $"answers took {string.Join(", ", times.Select(Ms))} ms: the request waits for the ledger");
    }

    [Fact(DisplayName = "An event the ledger fails 3 times with 503 is retried with growing waits (at least 75, 150, 300 ms) and makes exactly one entry")]
    [Trait("criterion", "retries")]
    public async Task Server_errors_are_retried_with_backoff()
    {
        var ledger = await LedgerAsync();
        var e = NewEvent();
        ledger.FailFirst(e.Id, 3);

        (await SendAsync(e.Request())).Accepted.ShouldBeTrue();
        // Until the entry is made, or the service gave up on the event (a dead letter: nothing more will come).
        await UntilAsync(async () => ledger.EntriesFor(e.Id).Count > 0 || await ListedAsDeadAsync(e.Id), RetriesWithin);
        var done = ledger.EntriesFor(e.Id).Count > 0;
        await SettleAsync(ledger);

        var calls = ledger.CallsFor(e.Id);
        var gaps = calls.Zip(calls.Skip(1), (a, b) => b.ArrivedMs - a.ArrivedMs).ToArray();
        Checks.Record("attempts for an event failed 3 times", 4, calls.Count);
        Checks.Record("ms between attempts (at least 75, 150, 300)", "75, 150, 300", string.Join(", ", gaps.Select(Ms)),
            gaps.Length >= 3 && gaps[0] >= 75 && gaps[1] >= 150 && gaps[2] >= 300);
        done.ShouldBeTrue($"the event never got its entry: {calls.Count} attempt(s), then it was dead-lettered or {RetriesWithin.TotalSeconds:0} s passed");
        ledger.EntriesFor(e.Id).Count.ShouldBe(1, "one event, one entry");
        calls.Count.ShouldBe(4, "three 503s, then one success: four attempts");
        for (var i = 0; i < 3; i++)
            gaps[i].ShouldBeGreaterThanOrEqualTo(0.75 * 100 * (1 << i),
                $"waits between attempts were {string.Join(", ", gaps.Select(Ms))} ms; at least 100, 200, 400 ms are required (75 % allowed for timing noise)");
    }

    [Fact(DisplayName = "12 events while every 3rd ledger call fails with 503: each makes exactly one entry")]
    [Trait("criterion", "retries")]
    public async Task Intermittent_failures_lose_nothing()
    {
        var ledger = await LedgerAsync();
        ledger.FailEvery = 3;
        var events = Enumerable.Range(0, 12).Select(_ => NewEvent()).ToArray();

        var replies = await BurstAsync(events.Length, n => events[(n - 1) % events.Length].Request());
        replies.ShouldAllBe(r => r.Accepted, Describe(replies));
        // Until every event has its entry, or the service gave up on each one without (a dead letter).
        await UntilAsync(() => BookedOrDeadAsync(ledger, events), RetriesWithin);
        ledger.FailEvery = 0;
        await SettleAsync(ledger);

        var counts = events.Select(e => ledger.EntriesFor(e.Id).Count).ToArray();
        Checks.Record("events of 12 with exactly one entry while every 3rd call failed", 12, counts.Count(c => c == 1));
        counts.Count(c => c == 0).ShouldBe(0, "events never got their entry: a 503 must be retried");
        counts.Count(c => c > 1).ShouldBe(0, "events got more than one entry");
    }

    [Fact(DisplayName = "An event the ledger refuses with 422 is tried once, not retried, and listed by GET /dead-letters within 10 s with a reason")]
    [Trait("criterion", "dead-letters")]
    public async Task Refused_event_is_dead_lettered()
    {
        var ledger = await LedgerAsync();
        var e = NewEvent();
        ledger.Reject(e.Id);

        (await SendAsync(e.Request())).Accepted.ShouldBeTrue();
        (await ledger.WaitUntilAsync(l => l.CallsFor(e.Id).Count > 0, EffectWithin, TestContext.Current.CancellationToken))
            .ShouldBeTrue($"the event never reached the ledger within {EffectWithin.TotalSeconds:0} s");
        var listed = await DeadLetteredAsync(e.Id, TimeSpan.FromSeconds(10));
        var marker = await SettleAsync(ledger);
        var letters = await DeadLettersAsync();

        var attempts = ledger.CallsFor(e.Id).Count;
        Checks.Record("attempts for an event the ledger refused with 422", 1, attempts);
        attempts.ShouldBe(1, "a 4xx from the ledger is final: it must not be retried");
        listed.ShouldBeTrue("the refused event was not listed by GET /dead-letters within 10 s");
        letters[e.Id].ShouldNotBeNullOrWhiteSpace("a dead letter needs a reason");
        letters.ContainsKey(marker.Id).ShouldBeFalse("an event that got its entry is listed as a dead letter");
    }

    [Fact(DisplayName = "An event the ledger always fails with 503 is tried exactly 5 times within 30 s, then listed by GET /dead-letters")]
    [Trait("criterion", "dead-letters")]
    public async Task Failing_event_is_dead_lettered_after_5_attempts()
    {
        var ledger = await LedgerAsync();
        var e = NewEvent();
        ledger.FailAlways(e.Id);

        (await SendAsync(e.Request())).Accepted.ShouldBeTrue();
        // Until 5 attempts reached the ledger, or the service gave up on the event earlier (a dead letter).
        await UntilAsync(async () => ledger.CallsFor(e.Id).Count >= 5 || await ListedAsDeadAsync(e.Id), RetriesWithin);
        var tried = ledger.CallsFor(e.Id).Count >= 5;
        var listed = await DeadLetteredAsync(e.Id, TimeSpan.FromSeconds(10));
        var marker = await SettleAsync(ledger);
        var letters = await DeadLettersAsync();

        var attempts = ledger.CallsFor(e.Id).Count;
        Checks.Record("attempts for an event the ledger always fails", 5, attempts);
        tried.ShouldBeTrue($"{attempts} attempt(s) reached the ledger before the event was dead-lettered or {RetriesWithin.TotalSeconds:0} s passed; 5 are required");
        attempts.ShouldBe(5, "an event is tried at most 5 times, then dead-lettered");
        listed.ShouldBeTrue("the event was not listed by GET /dead-letters within 10 s of its 5th attempt");
        letters.ContainsKey(marker.Id).ShouldBeFalse("an event that got its entry is listed as a dead letter");
        ledger.EntriesFor(e.Id).ShouldBeEmpty();
    }

    [Fact(DisplayName = "A restart while ledger calls are in flight and events wait in the queue: all 6 acknowledged events make exactly one entry within 30 s")]
    [Trait("criterion", "durability")]
    public async Task Restart_mid_processing_loses_nothing()
    {
        var ledger = await LedgerAsync();
        var ct = TestContext.Current.CancellationToken;
        // Every call is held at the ledger until after the restart: at the kill, calls are in flight (the kill makes
        // them fail) and no event has its entry yet, so every entry the test expects is made after the restart. With
        // several replicas (senior level) each is killed in turn, 2 s apart, and the survivors' held calls are
        // answered once released: whichever replica worked on which event, a replica that takes over work another
        // one is still doing is seen to.
        ledger.HoldCalls();
        var events = Enumerable.Range(0, 6).Select(_ => NewEvent()).ToArray();

        var replies = await BurstAsync(events.Length, n => events[(n - 1) % events.Length].Request());
        replies.ShouldAllBe(r => r.Accepted, Describe(replies));
        (await ledger.WaitUntilAsync(l => l.Calls.Count > 0, EffectWithin, ct)).ShouldBeTrue("no event reached the ledger before the restart");
        for (var replica = 1; replica <= Service.Replicas.Count; replica++)
        {
            await Control.RestartServiceAsync(replica, ct);
            await Task.Delay(2000, ct);
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ledger.ReleaseCalls();
        // Until every event has its entry, or the service gave up on each one without (a dead letter).
        await UntilAsync(() => BookedOrDeadAsync(ledger, events), AfterRestartWithin);
        var ms = clock.Elapsed.TotalMilliseconds;
        var all = events.All(e => ledger.EntriesFor(e.Id).Count > 0);
        Checks.Record("ms from the end of the restarts to the last of 6 entries", "< 30000", Ms(ms), all && ms < 30_000);
        await SettleAsync(ledger);

        var counts = events.Select(e => ledger.EntriesFor(e.Id).Count).ToArray();
        Checks.Record("acknowledged events of 6 with exactly one entry after a restart mid-processing", 6, counts.Count(c => c == 1));
        counts.Count(c => c == 0).ShouldBe(0, "acknowledged events were lost in the restart");
        counts.Count(c => c > 1).ShouldBe(0, "events got more than one entry across the restart");
    }

    [Fact(DisplayName = "After a restart, a redelivery of a processed event has no effect and dead letters are still listed")]
    [Trait("criterion", "durability")]
    public async Task Restart_forgets_nothing()
    {
        var ledger = await LedgerAsync();
        var ct = TestContext.Current.CancellationToken;
        var e = NewEvent();
        var refused = NewEvent();
        ledger.Reject(refused.Id);

        (await SendAsync(e.Request())).Accepted.ShouldBeTrue();
        (await SendAsync(refused.Request())).Accepted.ShouldBeTrue();
        (await EntryAsync(ledger, e.Id)).ShouldBeTrue($"the event's entry did not reach the ledger within {EffectWithin.TotalSeconds:0} s");
        (await DeadLetteredAsync(refused.Id, EffectWithin)).ShouldBeTrue("the refused event was not dead-lettered before the restart");
        await Control.RestartServiceAsync(1, ct);
        var again = await SendAsync(e.Request());
        // Right after a restart the statement allows 30 s (a dead consumer's lease may have to run out first).
        await SettleAsync(ledger, AfterRestartWithin);
        var letters = await DeadLettersAsync();

        var count = ledger.EntriesFor(e.Id).Count;
        Checks.Record("ledger entries for an event redelivered after a restart", 1, count);
        again.Accepted.ShouldBeTrue($"a redelivery after the restart must be acknowledged: {again}");
        count.ShouldBe(1, "the service forgot the event in the restart and processed its redelivery again");
        letters.ContainsKey(refused.Id).ShouldBeTrue("the dead letter was lost in the restart");
    }
}
