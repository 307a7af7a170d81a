using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using CodeLab.Judge;
using CodeLab.Load;
using Shouldly;

namespace WebhookPipeline.Tests;

/// <summary>What the service answered to one request.</summary>
sealed record Reply(int Status, string Body, double Ms)
{
    public bool Accepted => Status is >= 200 and < 300;

    public override string ToString() => $"{Status} {(Body.Length > 120 ? Body[..120] + "..." : Body)}";
}

static class Webhooks
{
    /// <summary>How long an effect may take while the ledger works (the statement's 10 s).</summary>
    public static readonly TimeSpan EffectWithin = TimeSpan.FromSeconds(10);

    /// <summary>How long the grader watches the ledger after its marker event's entry (the statement's 1 s).</summary>
    public static readonly TimeSpan Watch = TimeSpan.FromSeconds(1);

    static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    static CancellationToken Or(CancellationToken given) => given.CanBeCanceled ? given : Ct;

    public static async Task<LedgerFake> LedgerAsync()
    {
        var ledger = await LedgerFake.SharedAsync();
        ledger.Reset();
        return ledger;
    }

    public static WebhookEvent NewEvent(string? account = null, long sequence = 1) => WebhookSender.NewEvent(account, sequence);

    /// <param name="cancellationToken">Cuts the request short; the test's own token when none is given.</param>
    public static Task<Reply> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken = default) => SendAsync(Service.Client, request, cancellationToken);

    public static async Task<Reply> SendAsync(HttpClient client, HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        var ct = Or(cancellationToken);
        var clock = Stopwatch.StartNew();
        using (request)
        using (var response = await client.SendAsync(request, ct))
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            return new Reply((int)response.StatusCode, body, clock.Elapsed.TotalMilliseconds);
        }
    }

    /// <summary><paramref name="count"/> requests released at the same instant (the load engine's Burst); every reply.</summary>
    public static async Task<IReadOnlyList<Reply>> BurstAsync(int count, Func<long, HttpRequestMessage> request, CancellationToken cancellationToken = default)
    {
        var ct = Or(cancellationToken);
        var replies = new ConcurrentQueue<Reply>();
        var scenario = Scenario.Create("burst", async ctx =>
        {
            var reply = await SendAsync(request(ctx.InvocationNumber), ct);
            replies.Enqueue(reply);
            return Response.Ok(reply.Status);
        }).WithLoadSimulations(Simulation.Burst(count));
        await LoadRunner.RegisterScenarios(scenario).RunAsync(ct);
        return replies.ToArray();
    }

    public static Task<bool> EntryAsync(LedgerFake ledger, string eventId, TimeSpan? within = null, CancellationToken cancellationToken = default) =>
        ledger.WaitUntilAsync(l => l.EntriesFor(eventId).Count > 0, within ?? EffectWithin, Or(cancellationToken));

    public static Task<bool> EntriesAsync(LedgerFake ledger, IEnumerable<string> eventIds, TimeSpan within, CancellationToken cancellationToken = default)
    {
        var ids = eventIds.ToHashSet(StringComparer.Ordinal);
        return ledger.WaitUntilAsync(l => l.Entries.Select(e => e.EventId).Where(ids.Contains).Distinct().Count() == ids.Count, within, Or(cancellationToken));
    }

    /// <summary>
    /// The statement's "no (further) effect" check: send one valid marker event, wait for its entry, then watch the
    /// ledger for <see cref="Watch"/>. Whatever the service was going to do with earlier requests, it had that long.
    /// Returns the marker (whose single entry the caller may count), or throws when the marker never arrived.
    /// </summary>
    /// <param name="within">How long its entry may take: the statement's 10 s, or its 30 s right after a restart.</param>
    public static async Task<WebhookEvent> SettleAsync(LedgerFake ledger, TimeSpan? within = null, CancellationToken cancellationToken = default)
    {
        var ct = Or(cancellationToken);
        var marker = NewEvent();
        var reply = await SendAsync(marker.Request(), ct);
        if (!reply.Accepted) throw new ShouldAssertException($"a valid event sent to check that nothing else happens was not accepted: {reply}");
        var limit = within ?? EffectWithin;
        if (!await EntryAsync(ledger, marker.Id, limit, ct))
            throw new ShouldAssertException($"a valid event sent to check that nothing else happens had no entry within {limit.TotalSeconds:0} s");
        await Task.Delay(Watch, ct);
        return marker;
    }

    /// <summary>GET /dead-letters: the listed event ids with their reasons; throws with what was wrong when the answer is not as stated.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> DeadLettersAsync()
    {
        var reply = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "/dead-letters"));
        if (reply.Status != 200) throw new ShouldAssertException($"GET /dead-letters answered {reply}");
        try
        {
            using var json = JsonDocument.Parse(reply.Body);
            if (json.RootElement.ValueKind != JsonValueKind.Array) throw new ShouldAssertException($"GET /dead-letters is not a JSON array: {reply}");
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var item in json.RootElement.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
                    result[id.GetString()!] = item.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String ? reason.GetString()! : "";
            }
            return result;
        }
        catch (JsonException)
        {
            throw new ShouldAssertException($"GET /dead-letters is not JSON: {reply}");
        }
    }

    /// <summary>Whether GET /dead-letters lists the event now; false also when it does not answer as stated (for tests of other criteria).</summary>
    public static async Task<bool> ListedAsDeadAsync(string eventId)
    {
        try
        {
            return (await DeadLettersAsync()).ContainsKey(eventId);
        }
        catch (ShouldAssertException)
        {
            return false;
        }
    }

    /// <summary>
    /// Whether every event has its entry or, failing that, is listed as a dead letter (nothing more will come for it).
    /// GET /dead-letters is read once, and only while an event still lacks its entry.
    /// </summary>
    public static async Task<bool> BookedOrDeadAsync(LedgerFake ledger, IEnumerable<WebhookEvent> events)
    {
        var missing = events.Where(e => ledger.EntriesFor(e.Id).Count == 0).ToList();
        if (missing.Count == 0) return true;
        IReadOnlyDictionary<string, string> dead;
        try
        {
            dead = await DeadLettersAsync();
        }
        catch (ShouldAssertException)
        {
            return false;
        }
        return missing.All(e => dead.ContainsKey(e.Id));
    }

    /// <summary>Polls GET /dead-letters until it lists <paramref name="eventId"/> or <paramref name="within"/> passed.</summary>
    public static async Task<bool> DeadLetteredAsync(string eventId, TimeSpan within)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if ((await DeadLettersAsync()).ContainsKey(eventId)) return true;
            if (waited.Elapsed >= within) return false;
            await Task.Delay(200, Ct);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds (checked every 250 ms) or <paramref name="limit"/> passed: false then.</summary>
    public static async Task<bool> UntilAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed >= limit) return false;
            await Task.Delay(250, Ct);
        }
        return true;
    }

    public static string Describe(IEnumerable<Reply> replies) =>
        string.Join(", ", replies.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} x {g.Key}"));
}
