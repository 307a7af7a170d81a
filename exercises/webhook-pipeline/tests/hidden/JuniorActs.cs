using System.Diagnostics;
using System.Runtime.ExceptionServices;
using CodeLab.Judge;
using static WebhookPipeline.Tests.Webhooks;

namespace WebhookPipeline.Tests;

/// <summary>
/// The junior tests' requests, sent once per test run and shared by the tests of one criterion (effects, security,
/// validation). "No (further) effect" is judged as the statement says: after a criterion's requests the grader sends
/// one valid event, waits for its entry and watches the ledger for 1 s (<see cref="Webhooks.SettleAsync"/>). That
/// watch covers every test of the criterion alike, so it is kept once per criterion instead of once per test, and
/// each test judges its own events in what the ledger recorded by the end of the watch.
/// <para>
/// The first test of a criterion to run sends the criterion's requests (its time includes them, under the runner's
/// per-test limit); the others read what came of them. Each test's requests go out in turn, in a fixed order; their
/// waits for an effect overlap, each until 10 s after its own request was answered, so a criterion
/// takes one statement bound, not one per test, even for a service that takes all of it. Whatever goes wrong in one
/// test's requests (the service not answering, a refused connection) stays with that test and is rethrown there; a
/// failed watch fails every test of the criterion, as it failed each of them before. Every event id a criterion sends
/// is chosen before the first request, so an effect is always put down to the test whose request caused it, and one
/// for an id the grader never sent to the test that says "nothing else reaches the ledger".
/// </para>
/// <para>
/// A criterion's requests and watch are cut short after <see cref="Limit"/> in all, well inside the runner's per-test
/// limit (60 s at junior and mid, 90 s at senior), so a service that does not answer fails the tests whose requests it
/// left unanswered and never makes the runner charge a timeout and resume: a criterion's 40 s are also what its tests
/// could take one by one before. A correct service needs at most one 10 s wait for effects and one for the marker.
/// </para>
/// </summary>
static class JuniorActs
{
    /// <summary>How long a criterion's requests and the watch after them may take in all.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(40);

    static readonly Lazy<Task<EffectsActs>> effects = new(EffectsActs.RunAsync);
    static readonly Lazy<Task<SecurityActs>> security = new(SecurityActs.RunAsync);
    static readonly Lazy<Task<ValidationActs>> validation = new(ValidationActs.RunAsync);

    public static Task<EffectsActs> Effects => effects.Value;

    public static Task<SecurityActs> Security => security.Value;

    public static Task<ValidationActs> Validation => validation.Value;

    /// <summary>How long is left of the statement's 10 s for an effect whose request was answered at <paramref name="answeredAt"/>.</summary>
    public static TimeSpan Left(long answeredAt)
    {
        var left = EffectWithin - Stopwatch.GetElapsedTime(answeredAt);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    public static string Text(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Sends every request in turn; the first that gets no answer ends the act (its test fails on it).</summary>
    internal static async Task<Refused> SendAllAsync(IReadOnlyList<(string Name, string Id, Func<HttpRequestMessage> Request)> cases, CancellationToken cancellationToken)
    {
        var replies = new List<(string Name, string Id, Reply Reply)>();
        foreach (var (name, id, request) in cases) replies.Add((name, id, await SendAsync(request(), cancellationToken)));
        return new Refused(replies);
    }

    /// <summary>The statement's watch after a criterion's requests, and what the ledger recorded by its end.</summary>
    public static async Task<Watched> WatchAsync(LedgerFake ledger, Turns turns)
    {
        await turns.AllEnded();
        try
        {
            var marker = await SettleAsync(ledger, cancellationToken: turns.Cut);
            return new Watched(marker, ledger.Entries, ledger.Calls, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || turns.Cut.IsCancellationRequested)
        {
            return new Watched(null, ledger.Entries, ledger.Calls, ExceptionDispatchInfo.Capture(turns.Explain(ex)));
        }
    }
}

/// <summary>
/// Tests' requests that go out in turn and wait together: each act starts once the act before it has sent its
/// requests (it says so) or has ended. An act's outcome, or what it threw, stays in its own task.
/// </summary>
sealed class Turns : IDisposable
{
    readonly string criterion;
    readonly CancellationTokenSource source;
    readonly CancellationToken cut;
    readonly List<Task> acts = [];
    Task previous = Task.CompletedTask;

    /// <summary>Acts of one criterion, cut short once <see cref="JuniorActs.Limit"/> has passed (or the test is cancelled).</summary>
    public Turns(string criterion)
    {
        this.criterion = criterion;
        source = CancellationTokenSource.CreateLinkedTokenSource(Xunit.TestContext.Current.CancellationToken);
        source.CancelAfter(JuniorActs.Limit);
        cut = source.Token;
    }

    /// <summary>Cancelled once the criterion's <see cref="JuniorActs.Limit"/> has passed.</summary>
    public CancellationToken Cut => cut;

    public void Dispose() => source.Dispose();

    /// <summary>What a request or wait cut short by <see cref="Cut"/> tells its test; anything else as it is.</summary>
    public Exception Explain(Exception ex) => ex is OperationCanceledException && cut.IsCancellationRequested
        ? new Shouldly.ShouldAssertException($"cut short: the {criterion} tests' requests and the watch after them may take {JuniorActs.Limit.TotalSeconds:0} s in all, and the service had not answered by then")
        : ex;

    /// <param name="act">Sends, calls its argument once its requests are answered, then may wait for their effects.</param>
    public Task<T> Next<T>(Func<Action, Task<T>> act)
    {
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var before = previous;
        var task = RunAsync();
        previous = Task.WhenAny(sent.Task, task);
        acts.Add(task);
        return task;

        async Task<T> RunAsync()
        {
            await before;
            try
            {
                return await act(() => sent.TrySetResult());
            }
            catch (OperationCanceledException ex) when (cut.IsCancellationRequested)
            {
                throw Explain(ex);
            }
        }
    }

    /// <summary>Every act has ended, however it ended.</summary>
    public Task AllEnded() => Task.WhenAll(acts).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
}

/// <summary>
/// What the ledger recorded by the end of a criterion's watch, after the marker event's entry; when the marker was
/// refused or had no entry in time, what it recorded by then and why (<see cref="Ok"/> throws it).
/// </summary>
sealed record Watched(WebhookEvent? Marker, IReadOnlyList<LedgerEntry> Entries, IReadOnlyList<LedgerCall> Calls, ExceptionDispatchInfo? Failure)
{
    /// <summary>This, once the watch took place; else what went wrong with its marker, for a test that needs the watch.</summary>
    public Watched Ok()
    {
        Failure?.Throw();
        return this;
    }

    public IReadOnlyList<LedgerEntry> EntriesFor(string eventId) => Entries.Where(e => e.EventId == eventId).ToList();

    public IReadOnlyList<LedgerCall> CallsFor(string eventId) => Calls.Where(c => c.EventId == eventId).ToList();

    /// <summary>Entries for anything but these events and the marker.</summary>
    public IReadOnlyList<LedgerEntry> EntriesBeside(IEnumerable<string> eventIds)
    {
        var known = Known(eventIds);
        return Entries.Where(e => !known.Contains(e.EventId)).ToList();
    }

    /// <summary>Calls for anything but these events and the marker.</summary>
    public IReadOnlyList<LedgerCall> CallsBeside(IEnumerable<string> eventIds)
    {
        var known = Known(eventIds);
        return Calls.Where(c => !known.Contains(c.EventId)).ToList();
    }

    HashSet<string> Known(IEnumerable<string> eventIds) => eventIds.Append(Marker?.Id ?? "").ToHashSet(StringComparer.Ordinal);
}

/// <summary>One event sent once: its answer, and whether its entry came within 10 s of it.</summary>
sealed record SentOnce(Reply Reply, bool Entry, int Calls);

/// <summary>An event sent, then twice more once its entry came.</summary>
sealed record SentThrice(Reply First, bool Entry, Reply? Again, Reply? Third);

/// <summary>Copies of one event released at the same instant.</summary>
sealed record SentAsCopies(IReadOnlyList<Reply> Replies, bool Entry);

/// <summary>Different events released at the same instant; ms from the last answer to the last entry.</summary>
sealed record SentTogether(IReadOnlyList<Reply> Replies, bool AllEntries, double Ms);

/// <summary>Requests the service must refuse, each with the event id it carried (if any) and the answer.</summary>
sealed record Refused(IReadOnlyList<(string Name, string Id, Reply Reply)> Replies);

sealed class EffectsActs
{
    public required WebhookEvent Valid { get; init; }
    public required WebhookEvent Redelivered { get; init; }
    public required WebhookEvent Copied { get; init; }
    public required IReadOnlyList<WebhookEvent> Twenty { get; init; }
    public required Task<SentOnce> ValidSent { get; init; }
    public required Task<SentThrice> RedeliveredSent { get; init; }
    public required Task<SentAsCopies> CopiedSent { get; init; }
    public required Task<SentTogether> TwentySent { get; init; }
    public required Watched Watched { get; init; }

    /// <summary>Every event the criterion's tests sent (the marker apart).</summary>
    public IEnumerable<string> Ids => Twenty.Select(e => e.Id).Append(Valid.Id).Append(Redelivered.Id).Append(Copied.Id);

    public static async Task<EffectsActs> RunAsync()
    {
        var ledger = await LedgerAsync();
        var accounts = Enumerable.Range(0, 4).Select(_ => WebhookSender.NewAccount()).ToArray();
        var valid = NewEvent(sequence: 7);
        var copied = NewEvent();
        var twenty = Enumerable.Range(0, 20).Select(i => NewEvent(accounts[i % 4], i / 4 + 1)).ToArray();
        var redelivered = NewEvent();
        using var turns = new Turns("effects");
        var ct = turns.Cut;

        var validSent = turns.Next(async sent =>
        {
            var reply = await SendAsync(valid.Request(), ct);
            var at = Stopwatch.GetTimestamp();
            sent();
            var entry = reply.Accepted && await EntryAsync(ledger, valid.Id, JuniorActs.Left(at), ct);
            return new SentOnce(reply, entry, ledger.CallsFor(valid.Id).Count);
        });
        var copiedSent = turns.Next(async sent =>
        {
            var replies = await BurstAsync(10, _ => copied.Request(), ct);
            var at = Stopwatch.GetTimestamp();
            sent();
            return new SentAsCopies(replies, await EntryAsync(ledger, copied.Id, JuniorActs.Left(at), ct));
        });
        var twentySent = turns.Next(async sent =>
        {
            var replies = await BurstAsync(twenty.Length, n => twenty[(n - 1) % twenty.Length].Request(), ct);
            var at = Stopwatch.GetTimestamp();
            sent();
            if (!replies.All(r => r.Accepted)) return new SentTogether(replies, false, double.NaN);
            var all = await EntriesAsync(ledger, twenty.Select(e => e.Id), JuniorActs.Left(at), ct);
            return new SentTogether(replies, all, Stopwatch.GetElapsedTime(at).TotalMilliseconds);
        });
        // Last: its redeliveries go out once its entry came, while the others may still wait for theirs.
        var redeliveredSent = turns.Next(async sent =>
        {
            var first = await SendAsync(redelivered.Request(), ct);
            var at = Stopwatch.GetTimestamp();
            sent();
            if (!first.Accepted || !await EntryAsync(ledger, redelivered.Id, JuniorActs.Left(at), ct)) return new SentThrice(first, false, null, null);
            var again = await SendAsync(redelivered.Request(), ct);
            var third = await SendAsync(redelivered.Request(), ct);
            return new SentThrice(first, true, again, third);
        });

        return new EffectsActs
        {
            Valid = valid,
            Redelivered = redelivered,
            Copied = copied,
            Twenty = twenty,
            ValidSent = validSent,
            RedeliveredSent = redeliveredSent,
            CopiedSent = copiedSent,
            TwentySent = twentySent,
            Watched = await JuniorActs.WatchAsync(ledger, turns),
        };
    }
}

sealed class SecurityActs
{
    public required IReadOnlyList<(string Name, string Id)> Stale { get; init; }
    public required WebhookEvent Recent { get; init; }
    public required Task<Refused> ForgedSent { get; init; }
    public required Task<Refused> StaleSent { get; init; }
    public required Task<SentOnce> RecentSent { get; init; }
    public required Watched Watched { get; init; }

    public static async Task<SecurityActs> RunAsync()
    {
        var ledger = await LedgerAsync();
        var forged = ForgedRequests(WebhookSender.Now());
        var stale = StaleRequests(WebhookSender.Now());
        var recent = NewEvent();
        var recentAt = WebhookSender.Now() - 120;
        using var turns = new Turns("security");
        var ct = turns.Cut;

        var forgedSent = turns.Next(_ => JuniorActs.SendAllAsync(forged, ct));
        var staleSent = turns.Next(_ => JuniorActs.SendAllAsync(stale, ct));
        var recentSent = turns.Next(async sent =>
        {
            var reply = await SendAsync(WebhookSender.Request(recent.Body, JuniorActs.Text(recentAt), WebhookSender.Sign(recentAt, recent.Body)), ct);
            var at = Stopwatch.GetTimestamp();
            sent();
            return new SentOnce(reply, await EntryAsync(ledger, recent.Id, JuniorActs.Left(at), ct), ledger.CallsFor(recent.Id).Count);
        });

        return new SecurityActs
        {
            Stale = stale.Select(c => (c.Name, c.Id)).ToList(),
            Recent = recent,
            ForgedSent = forgedSent,
            StaleSent = staleSent,
            RecentSent = recentSent,
            Watched = await JuniorActs.WatchAsync(ledger, turns),
        };
    }

    /// <summary>No headers, wrong secret, tampered body, another timestamp than signed, malformed signatures.</summary>
    static List<(string Name, string Id, Func<HttpRequestMessage> Request)> ForgedRequests(long now)
    {
        var ts = JuniorActs.Text(now);
        var cases = new List<(string Name, string Id, Func<HttpRequestMessage> Request)>();
        void Add(string name, Func<WebhookEvent, HttpRequestMessage> make)
        {
            var e = NewEvent();
            cases.Add((name, e.Id, () => make(e)));
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
        return cases;
    }

    /// <summary>Correctly signed, with a timestamp 400 s old, 400 s ahead, or not a number.</summary>
    static List<(string Name, string Id, Func<HttpRequestMessage> Request)> StaleRequests(long now)
    {
        var cases = new List<(string Name, string Id, Func<HttpRequestMessage> Request)>();
        foreach (var (name, offset) in new[] { ("400 s old (a replay)", -400L), ("400 s ahead", 400L) })
        {
            var e = NewEvent();
            cases.Add((name, e.Id, () => WebhookSender.Request(e.Body, JuniorActs.Text(now + offset), WebhookSender.Sign(now + offset, e.Body))));
        }
        {
            var e = NewEvent();
            var mac = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
                System.Text.Encoding.UTF8.GetBytes(WebhookSender.Secret), System.Text.Encoding.UTF8.GetBytes("yesterday." + e.Body)));
            cases.Add(("timestamp 'yesterday'", e.Id, () => WebhookSender.Request(e.Body, "yesterday", "v1=" + mac)));
        }
        return cases;
    }
}

sealed class ValidationActs
{
    public required IReadOnlyList<string> Unusual { get; init; }
    public required Task<Refused> MalformedSent { get; init; }
    public required Task<SentTogether> UnusualSent { get; init; }
    public required Watched Watched { get; init; }

    public static async Task<ValidationActs> RunAsync()
    {
        var ledger = await LedgerAsync();
        var malformed = MalformedRequests();
        var unusual = new[]
        {
            (Id: WebhookSender.NewId(), Data: ""),
            (Id: WebhookSender.NewId(), Data: ", \"data\": null"),
            (Id: WebhookSender.NewId(), Data: ", \"data\": [1, \"two\"]"),
        };
        using var turns = new Turns("validation");
        var ct = turns.Cut;

        var malformedSent = turns.Next(_ => JuniorActs.SendAllAsync(malformed, ct));
        var unusualSent = turns.Next(async sent =>
        {
            var replies = new List<Reply>();
            foreach (var (id, data) in unusual)
                replies.Add(await SendAsync(WebhookSender.SignedRequest($$"""{"id":"{{id}}","type":"invoice.paid","account":"acct_zero","sequence":0{{data}}}"""), ct));
            var at = Stopwatch.GetTimestamp();
            sent();
            if (!replies.All(r => r.Accepted)) return new SentTogether(replies, false, double.NaN);
            var all = await EntriesAsync(ledger, unusual.Select(e => e.Id), JuniorActs.Left(at), ct);
            return new SentTogether(replies, all, Stopwatch.GetElapsedTime(at).TotalMilliseconds);
        });

        return new ValidationActs
        {
            Unusual = unusual.Select(e => e.Id).ToList(),
            MalformedSent = malformedSent,
            UnusualSent = unusualSent,
            Watched = await JuniorActs.WatchAsync(ledger, turns),
        };
    }

    /// <summary>
    /// Correctly signed bodies that are not a valid event. Not every one names an id, so what reaches the ledger for
    /// them is told apart from the valid events' effects by the valid events' ids.
    /// </summary>
    static List<(string Name, string Id, Func<HttpRequestMessage> Request)> MalformedRequests()
    {
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
        return bodies.Select(b => (b.Name, "", (Func<HttpRequestMessage>)(() => WebhookSender.SignedRequest(b.Body)))).ToList();
    }
}
