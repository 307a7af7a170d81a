using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CodeLab.Judge;
using Shouldly;
using Xunit;
using static WebhookPipeline.Tests.Webhooks;

namespace WebhookPipeline.Tests;

[Trait("level", "senior")]
public sealed class SeniorHiddenTests
{
    /// <summary>The statement's bound for every acknowledged event after a restart.</summary>
    static readonly TimeSpan AfterRestartWithin = TimeSpan.FromSeconds(30);

    /// <summary>The statement: at least this many ledger calls in flight at once while that many accounts have events waiting.</summary>
    const int ParallelAtLeast = 8;

    /// <summary>The statement's tolerances for GET /metrics.</summary>
    const int DepthTolerance = 2;
    const double LagToleranceMs = 1000;

    /// <summary>The statement: both figures 0 within 5 s of the last entry; 10 s more are allowed for a busy machine.</summary>
    static readonly TimeSpan ZeroWithin = TimeSpan.FromSeconds(5), BusyMachine = TimeSpan.FromSeconds(10);

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static string Ms(double value) => value.ToString("0", CultureInfo.InvariantCulture);

    static HttpClient Replica(long n) => Service.Replicas[(int)(n % Service.Replicas.Count)];

    /// <summary>Sends an account's events one after another, each once the previous one was acknowledged, as the statement promises.</summary>
    static async Task<List<Reply>> SendInOrderAsync(IReadOnlyList<WebhookEvent> events, Func<int, HttpClient> replica, Func<int, WebhookEvent?>? redeliverAfter = null)
    {
        var replies = new List<Reply>();
        for (var i = 0; i < events.Count; i++)
        {
            var reply = await SendAsync(replica(i), events[i].Request());
            replies.Add(reply);
            if (!reply.Accepted) break;
            if (redeliverAfter?.Invoke(i) is { } again) replies.Add(await SendAsync(replica(i + 1), again.Request()));
        }
        return replies;
    }

    static IReadOnlyList<WebhookEvent> Account(int events)
    {
        var account = WebhookSender.NewAccount();
        return Enumerable.Range(1, events).Select(seq => NewEvent(account, seq)).ToList();
    }

    [Fact(DisplayName = "6 accounts x 8 events, each sent after the previous one was acknowledged, alternating replicas, with redeliveries, while the ledger takes 150 ms and fails some first attempts: each account's events reach the ledger in sequence order, one entry each")]
    [Trait("criterion", "ordering")]
    public async Task Account_events_take_effect_in_order()
    {
        var ledger = await LedgerAsync();
        ledger.Delay = TimeSpan.FromMilliseconds(150);
        var accounts = Enumerable.Range(0, 6).Select(_ => Account(8)).ToList();
        var events = accounts.SelectMany(a => a).ToList();
        // Every 3rd event's first attempt fails: a retry must not let the next event of its account overtake it.
        foreach (var e in events.Where(e => e.Sequence % 3 == 2)) ledger.FailFirst(e.Id, 1);

        var replies = (await Task.WhenAll(accounts.Select(a => SendInOrderAsync(a, i => Replica(i), i => i % 4 == 3 ? a[i - 2] : null)))).SelectMany(r => r).ToList();
        replies.ShouldAllBe(r => r.Accepted, Describe(replies));
        await UntilAsync(() => BookedOrDeadAsync(ledger, events), TimeSpan.FromSeconds(30));
        await SettleAsync(ledger);

        var violations = LedgerOrder.Violations(events, ledger.Calls, ledger.Entries);
        var counts = events.Select(e => ledger.EntriesFor(e.Id).Count).ToArray();
        Checks.Record("order violations among 48 events of 6 accounts (a call before the previous event's 201)", 0, violations.Count);
        Checks.Record("events of 48 with exactly one entry", 48, counts.Count(c => c == 1));
        violations.ShouldBeEmpty($"events of one account reached the ledger out of order: {string.Join("; ", violations.Take(5))}");
        counts.Count(c => c == 0).ShouldBe(0, "events never got their entry");
        counts.Count(c => c > 1).ShouldBe(0, "events got more than one entry");
    }

    [Fact(DisplayName = "24 accounts with one event each, the ledger holding its answers: at least 8 ledger calls are in flight at the same time")]
    [Trait("criterion", "parallelism")]
    public async Task Different_accounts_proceed_in_parallel()
    {
        var ledger = await LedgerAsync();
        var events = Enumerable.Range(0, 24).Select(_ => NewEvent()).ToArray();
        ledger.HoldCalls();
        int peak;
        TimeSpan judgeStalled;
        IReadOnlyList<Reply> replies;
        using (var stall = new StallWatch())
        {
            try
            {
                replies = await BurstAsync(events.Length, n => events[(n - 1) % events.Length].Request());
                // Until every event's call is held at the ledger, or 5 s passed.
                await ledger.WaitUntilAsync(l => l.InFlight >= events.Length, TimeSpan.FromSeconds(5), Ct);
                peak = ledger.PeakInFlight;
            }
            finally
            {
                ledger.ReleaseCalls();
            }
            judgeStalled = stall.Longest;
        }
        await UntilAsync(() => BookedOrDeadAsync(ledger, events), TimeSpan.FromSeconds(30));
        await SettleAsync(ledger);

        Checks.Record("ledger calls in flight at once while 24 accounts had an event waiting (answers held)", $">= {ParallelAtLeast}", peak, peak >= ParallelAtLeast);
        replies.ShouldAllBe(r => r.Accepted, Describe(replies));
        if (peak < ParallelAtLeast && judgeStalled > TimeSpan.FromSeconds(1))
            throw new CodeLab.Verdicts.InconclusiveException($"only {peak} ledger calls were in flight at once, but the judge itself stalled for {judgeStalled.TotalSeconds:0.#} s while it waited: the grading machine was starved, so the count proves nothing");
        peak.ShouldBeGreaterThanOrEqualTo(ParallelAtLeast, $"while 24 accounts had an event waiting, at most {peak} ledger call(s) were in flight at once: accounts are processed one after another");
        events.Count(e => ledger.EntriesFor(e.Id).Count != 1).ShouldBe(0, "every event must have exactly one entry");
    }

    [Fact(DisplayName = "8 accounts x 2 events; a replica is killed and restarted while another replica holds ledger calls in flight: no event is booked twice, all 16 are booked within 30 s")]
    [Trait("criterion", "replicas")]
    public async Task Restarted_replica_takes_no_live_work()
    {
        var ledger = await LedgerAsync();
        var accounts = Enumerable.Range(0, 8).Select(_ => Account(2)).ToList();
        var events = accounts.SelectMany(a => a).ToList();
        ledger.HoldCalls();
        Stopwatch clock;
        try
        {
            var replies = (await Task.WhenAll(accounts.Select(a => SendInOrderAsync(a, _ => Service.Replicas[^1])))).SelectMany(r => r).ToList();
            replies.ShouldAllBe(r => r.Accepted, Describe(replies));
            (await ledger.WaitUntilAsync(l => l.InFlight > 0, EffectWithin, Ct)).ShouldBeTrue("no event reached the ledger");
            // The replica killed is one while another replica has calls in flight (the ledger knows where each call
            // comes from), whichever replica took which account: that live work is what a replica that takes over
            // claimed work on start-up would take. The calls stay held until some event is sent a second time (a
            // take-over) or 5 s passed, then they are answered, so a take-over shows as two entries. (Killing the
            // busy replica too would cut its held calls and erase that evidence; a killed replica's own work is the
            // durability criterion's restart test.)
            var replica = await ReplicaBesideBusyAsync(ledger.InFlightFrom);
            await Control.RestartServiceAsync(replica, Ct);
            await ledger.WaitUntilAsync(l => l.Calls.GroupBy(c => c.EventId).Any(g => g.Count() > 1), TimeSpan.FromSeconds(5), Ct);
            clock = Stopwatch.StartNew();
        }
        finally
        {
            ledger.ReleaseCalls();
        }
        await UntilAsync(() => BookedOrDeadAsync(ledger, events), AfterRestartWithin);
        var ms = clock.Elapsed.TotalMilliseconds;
        var all = events.All(e => ledger.EntriesFor(e.Id).Count > 0);
        Checks.Record("ms from the release of the calls held across a replica's restart to the last of 16 entries", "< 30000", Ms(ms), all && ms < 30_000);
        await SettleAsync(ledger, AfterRestartWithin);

        // Order is the ordering criterion's (judged where it is the only thing under test); here, what the restarts did.
        var counts = events.Select(e => ledger.EntriesFor(e.Id).Count).ToArray();
        Checks.Record("events of 16 booked more than once after a replica's restart", 0, counts.Count(c => c > 1));
        counts.Count(c => c > 1).ShouldBe(0, "events were booked twice: a restarted replica took over work the other replica was still doing");
        counts.Count(c => c == 0).ShouldBe(0, "acknowledged events were lost in the restarts");
    }

    /// <summary>
    /// The number (1-based) of a replica other than one the ledger has calls in flight from, found by the replicas'
    /// addresses on the grade's network; inconclusive (never the candidate's fault) when no replica's address can be told apart.
    /// </summary>
    static async Task<int> ReplicaBesideBusyAsync(IReadOnlyCollection<string> busy)
    {
        var addresses = new List<HashSet<string>>();
        foreach (var client in Service.Replicas)
            addresses.Add((await System.Net.Dns.GetHostAddressesAsync(client.BaseAddress!.Host, Ct)).Select(LedgerFake.Address).ToHashSet(StringComparer.Ordinal));
        for (var i = 0; i < addresses.Count; i++)
            if (Enumerable.Range(0, addresses.Count).Any(j => j != i && addresses[j].Overlaps(busy))) return i + 1;
        throw new CodeLab.Verdicts.InconclusiveException(
            $"the ledger's calls in flight came from {string.Join(", ", busy)}, which is no replica's address ({string.Join("; ", addresses.Select(a => string.Join(", ", a)))})");
    }

    [Fact(DisplayName = "10 events, each delivered 3 times to every replica at the same instant: one entry each")]
    [Trait("criterion", "replicas")]
    public async Task Copies_on_every_replica_have_one_effect()
    {
        var ledger = await LedgerAsync();
        var events = Enumerable.Range(0, 10).Select(_ => NewEvent()).ToArray();
        var copies = 3 * Service.Replicas.Count;
        var replies = new ConcurrentQueue<Reply>();
        var scenario = CodeLab.Load.Scenario.Create("copies", async ctx =>
        {
            var n = ctx.InvocationNumber - 1;
            var reply = await SendAsync(Replica(n), events[n / copies % events.Length].Request());
            replies.Enqueue(reply);
            return CodeLab.Load.Response.Ok(reply.Status);
        }).WithLoadSimulations(CodeLab.Load.Simulation.Burst(events.Length * copies));
        await CodeLab.Load.LoadRunner.RegisterScenarios(scenario).RunAsync(Ct);
        await UntilAsync(() => BookedOrDeadAsync(ledger, events), EffectWithin);
        await SettleAsync(ledger);

        var counts = events.Select(e => ledger.EntriesFor(e.Id).Count).ToArray();
        Checks.Record($"events of 10 with exactly one entry after {copies} simultaneous copies over {Service.Replicas.Count} replicas", 10, counts.Count(c => c == 1));
        replies.ShouldAllBe(r => r.Accepted, Describe(replies));
        counts.Count(c => c > 1).ShouldBe(0, "copies delivered to different replicas were each booked");
        counts.Count(c => c == 0).ShouldBe(0, "events never got their entry");
    }

    sealed record Sent(WebhookEvent Event, double SentMs, double AcknowledgedMs);

    sealed record Metrics(long Depth, long LagMs);

    static async Task<Metrics> MetricsAsync(HttpClient replica)
    {
        var reply = await SendAsync(replica, new HttpRequestMessage(HttpMethod.Get, "/metrics"));
        if (reply.Status != 200) throw new ShouldAssertException($"GET /metrics answered {reply}");
        try
        {
            using var json = JsonDocument.Parse(reply.Body);
            var root = json.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("queueDepth", out var depth) && depth.ValueKind == JsonValueKind.Number && depth.TryGetInt64(out var d)
                && root.TryGetProperty("consumerLagMs", out var lag) && lag.ValueKind == JsonValueKind.Number && lag.TryGetDouble(out var l))
                return new Metrics(d, (long)Math.Round(l));
        }
        catch (JsonException)
        {
        }
        throw new ShouldAssertException($"GET /metrics must answer {{ \"queueDepth\": <integer>, \"consumerLagMs\": <number> }}: {reply}");
    }

    [Fact(DisplayName = "GET /metrics on every replica while the ledger takes 3 s: queue depth within 2 of the events acknowledged and not yet booked, consumer lag within 1 s of the oldest one's age; both 0 within 5 s of the last entry")]
    [Trait("criterion", "metrics")]
    public async Task Metrics_report_the_backlog()
    {
        var ledger = await LedgerAsync();
        ledger.Delay = TimeSpan.FromSeconds(3);
        var clock = Stopwatch.StartNew();
        var accounts = Enumerable.Range(0, 4).Select(_ => Account(3)).ToList();
        var sent = new ConcurrentQueue<Sent>();
        var replies = new ConcurrentQueue<Reply>();
        await Task.WhenAll(accounts.Select(async a =>
        {
            for (var i = 0; i < a.Count; i++)
            {
                var at = clock.Elapsed.TotalMilliseconds;
                var reply = await SendAsync(Replica(i), a[i].Request());
                replies.Enqueue(reply);
                sent.Enqueue(new Sent(a[i], at, clock.Elapsed.TotalMilliseconds));
            }
            // A redelivery is not one more event.
            replies.Enqueue(await SendAsync(Replica(1), a[0].Request()));
        }));
        replies.ShouldAllBe(r => r.Accepted, Describe(replies));
        await Task.Delay(1000, Ct);

        var wrong = new List<string>();
        for (var r = 0; r < Service.Replicas.Count; r++)
        {
            var bookedBefore = ledger.Entries.Select(e => e.EventId).ToHashSet(StringComparer.Ordinal);
            var asked = clock.Elapsed.TotalMilliseconds;
            var metrics = await MetricsAsync(Service.Replicas[r]);
            var answered = clock.Elapsed.TotalMilliseconds;
            var bookedAfter = ledger.Entries.Select(e => e.EventId).ToHashSet(StringComparer.Ordinal);
            // What was true while the request was answered lies between what the ledger had before and after it.
            var waitingBefore = sent.Where(s => !bookedBefore.Contains(s.Event.Id)).ToList();
            var waitingAfter = sent.Where(s => !bookedAfter.Contains(s.Event.Id)).ToList();
            var (depthLow, depthHigh) = (waitingAfter.Count - DepthTolerance, waitingBefore.Count + DepthTolerance);
            var lagLow = (waitingAfter.Count == 0 ? 0 : asked - waitingAfter.Min(s => s.AcknowledgedMs)) - LagToleranceMs;
            var lagHigh = (waitingBefore.Count == 0 ? 0 : answered - waitingBefore.Min(s => s.SentMs)) + LagToleranceMs;
            var depthOk = metrics.Depth >= depthLow && metrics.Depth <= depthHigh;
            var lagOk = metrics.LagMs >= lagLow && metrics.LagMs <= lagHigh;
            Checks.Record($"replica {r + 1}: queueDepth with 12 events acknowledged while the ledger takes 3 s", $"{Math.Max(0, depthLow)} to {depthHigh}", metrics.Depth, depthOk);
            Checks.Record($"replica {r + 1}: consumerLagMs then", $"{Ms(Math.Max(0, lagLow))} to {Ms(lagHigh)}", metrics.LagMs, lagOk);
            if (!depthOk) wrong.Add($"replica {r + 1} reported queueDepth {metrics.Depth} while {waitingAfter.Count} to {waitingBefore.Count} acknowledged events were not booked yet");
            if (!lagOk) wrong.Add($"replica {r + 1} reported consumerLagMs {metrics.LagMs} while the oldest unbooked event had waited {Ms(lagLow + LagToleranceMs)} to {Ms(lagHigh - LagToleranceMs)} ms");
        }

        ledger.Delay = TimeSpan.Zero;
        ledger.EndDelays();
        var events = sent.Select(s => s.Event).ToList();
        (await ledger.WaitUntilAsync(l => events.All(e => l.EntriesFor(e.Id).Count > 0), TimeSpan.FromSeconds(30), Ct))
            .ShouldBeTrue("the 12 events were not all booked within 30 s");
        var drained = Stopwatch.StartNew();
        var last = new Metrics[Service.Replicas.Count];
        var zero = false;
        while (!zero && drained.Elapsed <= ZeroWithin + BusyMachine)
        {
            for (var r = 0; r < last.Length; r++) last[r] = await MetricsAsync(Service.Replicas[r]);
            zero = last.All(m => m.Depth == 0 && m.LagMs == 0);
            if (!zero) await Task.Delay(200, Ct);
        }
        Checks.Record("seconds after the last entry until every replica reported queueDepth 0 and consumerLagMs 0", $"<= {(ZeroWithin + BusyMachine).TotalSeconds:0}",
            zero ? Math.Round(drained.Elapsed.TotalSeconds, 1) : "never", zero);

        wrong.ShouldBeEmpty(string.Join("; ", wrong));
        zero.ShouldBeTrue($"{(ZeroWithin + BusyMachine).TotalSeconds:0} s after every event was booked the replicas still report {string.Join(", ", last.Select(m => $"queueDepth {m.Depth} and consumerLagMs {m.LagMs}"))}");
    }
}
