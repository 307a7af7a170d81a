using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CodeLab.Judge;

/// <summary>
/// The trusted downstream of the webhook exercise: <c>POST /entries</c> with
/// <c>{ "eventId": "...", "account": "...", "sequence": 7, ... }</c> answers <c>201 { "entryId": "le_..." }</c>.
/// Every 201 is an effect: the ledger does not deduplicate, so a test counts effects from <see cref="Entries"/>,
/// never from what the service says it did.
/// <para>
/// Failures are deterministic, so a grade repeats: every n-th call (<see cref="FailEvery"/>), the first k calls for
/// a chosen event (<see cref="FailFirst"/>), every call for a chosen event (<see cref="FailAlways"/>, 503) or a
/// permanent rejection (<see cref="Reject"/>, 422). What a call gets is decided when it arrives.
/// </para>
/// </summary>
public sealed class LedgerFake : IAsyncDisposable
{
    static readonly SharedFake<LedgerFake> shared = new(StartAsync);

    readonly ConcurrentQueue<LedgerEntry> entries = new();
    readonly ConcurrentQueue<LedgerCall> calls = new();
    readonly ConcurrentDictionary<string, int> failFirst = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, int> failAlways = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, int> rejected = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, int> inFlightFrom = new(StringComparer.Ordinal);
    readonly CallDelay delay = new();
    readonly WebApplication app;
    long callCount;
    int inFlight;
    int peakInFlight;
    TaskCompletionSource? hold;
    int failEvery;
    long resetAt = Stopwatch.GetTimestamp();

    LedgerFake(WebApplication app) => this.app = app;

    /// <summary>The grade's ledger, started on first use at http://0.0.0.0:{CODELAB_FAKES_PORT} (the service reaches it as http://ledger:9090).</summary>
    public static Task<LedgerFake> SharedAsync() => shared.GetAsync();

    /// <summary>Every call since the last reset, in arrival order.</summary>
    public IReadOnlyList<LedgerCall> Calls => calls.ToList();

    /// <summary>Every entry accepted since the last reset, in order: the effects.</summary>
    public IReadOnlyList<LedgerEntry> Entries => entries.ToList();

    public IReadOnlyList<LedgerCall> CallsFor(string eventId) => calls.Where(c => c.EventId == eventId).ToList();

    public IReadOnlyList<LedgerEntry> EntriesFor(string eventId) => entries.Where(e => e.EventId == eventId).ToList();

    /// <summary>Calls that arrived and have not been answered yet.</summary>
    public int InFlight => Volatile.Read(ref inFlight);

    /// <summary>
    /// The addresses calls are in flight from now: with several replicas, which replica's container holds ledger
    /// calls (compare with <see cref="System.Net.Dns.GetHostAddressesAsync(string)"/> of a replica's host).
    /// </summary>
    public IReadOnlyCollection<string> InFlightFrom => inFlightFrom.Where(p => p.Value > 0).Select(p => p.Key).ToList();

    /// <summary>The most calls in flight at the same time since the last reset (or <see cref="ResetPeak"/>).</summary>
    public int PeakInFlight => Volatile.Read(ref peakInFlight);

    /// <summary>Starts counting <see cref="PeakInFlight"/> again from the calls in flight now.</summary>
    public void ResetPeak() => Volatile.Write(ref peakInFlight, InFlight);

    /// <summary>
    /// Holds every call (arrived or arriving) before it is answered, until <see cref="ReleaseCalls"/>: a call is then
    /// answered as it would have been (its status was decided when it arrived). A caller that gives up meanwhile
    /// leaves no entry.
    /// </summary>
    public void HoldCalls() => Interlocked.CompareExchange(ref hold, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null);

    /// <summary>Answers every held call, and lets later calls through again.</summary>
    public void ReleaseCalls() => Interlocked.Exchange(ref hold, null)?.TrySetResult();

    /// <summary>How long each call waits before it answers (the delay when it arrives).</summary>
    public TimeSpan Delay
    {
        get => delay.Value;
        set => delay.Value = value;
    }

    /// <summary>Calls waiting out their <see cref="Delay"/> now answer at once (see <see cref="CallDelay"/>).</summary>
    public void EndDelays() => delay.EndNow();

    /// <summary>When n &gt; 0, every n-th call since the reset answers 503 and records nothing.</summary>
    public int FailEvery
    {
        get => Volatile.Read(ref failEvery);
        set => Volatile.Write(ref failEvery, value);
    }

    /// <summary>The first <paramref name="count"/> calls for this event answer 503.</summary>
    public void FailFirst(string eventId, int count) => failFirst[eventId] = count;

    /// <summary>Every call for this event answers 503 (a downstream that never recovers for it).</summary>
    public void FailAlways(string eventId) => failAlways[eventId] = 1;

    /// <summary>Every call for this event answers 422: the ledger refuses it for good.</summary>
    public void Reject(string eventId) => rejected[eventId] = 1;

    /// <summary>Forgets every call, entry and behaviour; tests call it first.</summary>
    public void Reset()
    {
        entries.Clear();
        calls.Clear();
        failFirst.Clear();
        failAlways.Clear();
        rejected.Clear();
        Interlocked.Exchange(ref callCount, 0);
        Delay = TimeSpan.Zero;
        FailEvery = 0;
        ReleaseCalls();
        Volatile.Write(ref peakInFlight, InFlight);
        Interlocked.Exchange(ref resetAt, Stopwatch.GetTimestamp());
    }

    /// <summary>
    /// Waits until <paramref name="condition"/> holds (checked every 20 ms), or <paramref name="limit"/> passed:
    /// false then. A test waits for what it can observe, never for a fixed time.
    /// </summary>
    public async Task<bool> WaitUntilAsync(Func<LedgerFake, bool> condition, TimeSpan limit, CancellationToken cancellationToken = default)
    {
        var waited = Stopwatch.StartNew();
        while (!condition(this))
        {
            if (waited.Elapsed >= limit) return false;
            await Task.Delay(20, cancellationToken);
        }
        return true;
    }

    public static async Task<LedgerFake> StartAsync(string url, CancellationToken cancellationToken)
    {
        var fake = new LedgerFake(FakeHosting.Build(url));
        fake.app.MapPost("/entries", fake.EntryAsync);
        await fake.app.StartAsync(cancellationToken);
        return fake;
    }

    async Task<IResult> EntryAsync(HttpRequest request)
    {
        var now = Interlocked.Increment(ref inFlight);
        int peak;
        while (now > (peak = Volatile.Read(ref peakInFlight)) && Interlocked.CompareExchange(ref peakInFlight, now, peak) != peak) { }
        var from = Address(request.HttpContext.Connection.RemoteIpAddress);
        inFlightFrom.AddOrUpdate(from, 1, static (_, n) => n + 1);
        try
        {
            return await AnswerAsync(request);
        }
        finally
        {
            inFlightFrom.AddOrUpdate(from, 0, static (_, n) => n - 1);
            Interlocked.Decrement(ref inFlight);
        }
    }

    async Task<IResult> AnswerAsync(HttpRequest request)
    {
        var wait = delay.Arrive(); // before the call is recorded: a test that sees it and ends the delays ends its wait
        var number = Interlocked.Increment(ref callCount);
        var arrived = Stopwatch.GetElapsedTime(Interlocked.Read(ref resetAt)).TotalMilliseconds;
        var every = FailEvery;
        var (eventId, account, sequence) = await ReadAsync(request);

        int status;
        if (eventId is null || account is null || sequence is null) status = StatusCodes.Status400BadRequest;
        else if (rejected.ContainsKey(eventId)) status = StatusCodes.Status422UnprocessableEntity;
        else if (failAlways.ContainsKey(eventId)) status = StatusCodes.Status503ServiceUnavailable;
        else if (TakeFailure(eventId)) status = StatusCodes.Status503ServiceUnavailable;
        else if (every > 0 && number % every == 0) status = StatusCodes.Status503ServiceUnavailable;
        else status = StatusCodes.Status201Created;
        calls.Enqueue(new LedgerCall(eventId, account, sequence, status, arrived));

        var aborted = request.HttpContext.RequestAborted;
        try
        {
            await wait.WaitAsync();
            if (Volatile.Read(ref hold) is { } held) await held.Task.WaitAsync(aborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return Results.Empty;
        }
        if (status != StatusCodes.Status201Created)
            return Results.Json(new { error = status == 400 ? "eventId, account and sequence are required" : status == 422 ? "entry refused" : "ledger unavailable" }, statusCode: status);
        // The entry is recorded once its answer is due, so a service killed while waiting for it leaves no effect.
        if (aborted.IsCancellationRequested) return Results.Empty;
        var entry = new LedgerEntry($"le_{number:D6}", eventId!, account!, sequence!.Value, arrived,
            Stopwatch.GetElapsedTime(Interlocked.Read(ref resetAt)).TotalMilliseconds);
        entries.Enqueue(entry);
        return Results.Json(new { entryId = entry.EntryId }, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>An address as <see cref="InFlightFrom"/> gives it: IPv4 in dotted form where it is one.</summary>
    public static string Address(System.Net.IPAddress? address) =>
        address is null ? "unknown" : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();

    bool TakeFailure(string eventId)
    {
        while (failFirst.TryGetValue(eventId, out var left) && left > 0)
            if (failFirst.TryUpdate(eventId, left - 1, left)) return true;
        return false;
    }

    static async Task<(string?, string?, long?)> ReadAsync(HttpRequest request)
    {
        try
        {
            using var json = await JsonDocument.ParseAsync(request.Body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, null, null);
            string? Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            long? sequence = root.TryGetProperty("sequence", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out var n) ? n : null;
            return (Text("eventId"), Text("account"), sequence);
        }
        catch (JsonException)
        {
            return (null, null, null);
        }
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
