using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CodeLab.Judge;

/// <summary>
/// A trusted, slow origin (the product database behind a cache): <c>GET /products/{id}</c> answers
/// <c>200 { "id", "name", "price", "version" }</c> or <c>404</c>; <c>PUT /products/{id}</c> with
/// <c>{ "name", "price" }</c> stores the product (a new version) and answers it. It records every load and write per
/// product with the time it arrived, so a test counts what really reached the origin, never what the candidate's
/// service says about itself. It can be slow, hold loads or writes until the test releases them, fail (every load of a
/// product answers 503, or the connection is cut), and it reports how many loads were in flight at once.
/// <para>
/// Every product exists unless the test removed it: its first version is made from its id and a secret this origin
/// draws when it starts, so a test names products by fresh random ids, a service cannot tell a measured product from
/// any other, and it cannot make up a product without loading it.
/// </para>
/// </summary>
public sealed class OriginFake : IAsyncDisposable
{
    static readonly SharedFake<OriginFake> shared = new(StartAsync);
    static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
    /// <summary>A hold never outlasts this, so a test that forgets to release cannot hang a grade.</summary>
    static readonly TimeSpan HoldCap = TimeSpan.FromSeconds(20);

    readonly WebApplication app;
    readonly Stopwatch clock = Stopwatch.StartNew();
    readonly string secret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
    readonly ConcurrentDictionary<string, Product> products = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, byte> missing = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, byte> failing = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, byte> unreachable = new(StringComparer.Ordinal);
    readonly ConcurrentQueue<OriginLoad> loads = new();
    readonly ConcurrentQueue<OriginLoad> writes = new();
    readonly object holdLock = new();
    TaskCompletionSource loadGate = Open();
    TaskCompletionSource writeGate = Open();
    long delayTicks;
    int inFlight;
    int peakInFlight;

    OriginFake(WebApplication app) => this.app = app;

    /// <summary>The origin of this judge process, started on first use on the fakes' port (the service reaches it as http://origin:9090).</summary>
    public static Task<OriginFake> StartedAsync() => shared.GetAsync();

    public static async Task<OriginFake> StartAsync(string url, CancellationToken cancellationToken)
    {
        var fake = new OriginFake(FakeHosting.Build(url));
        fake.app.MapGet("/products/{id}", fake.LoadAsync);
        fake.app.MapPut("/products/{id}", fake.WriteAsync);
        await fake.app.StartAsync(cancellationToken);
        return fake;
    }

    /// <summary>Time since the origin started: the clock of <see cref="OriginLoad.ArrivedAt"/>.</summary>
    public TimeSpan Now => clock.Elapsed;

    /// <summary>Every load (GET) since the last <see cref="Reset"/>, in the order they arrived.</summary>
    public IReadOnlyList<OriginLoad> Loads => loads.ToList();

    /// <summary>Every write (PUT) since the last <see cref="Reset"/>, in the order they arrived.</summary>
    public IReadOnlyList<OriginLoad> Writes => writes.ToList();

    /// <summary>Loads of one product since the last reset.</summary>
    public int LoadsOf(string id) => loads.Count(l => l.Id == id);

    /// <summary>Loads being answered right now (arrived, not yet answered).</summary>
    public int InFlight => Volatile.Read(ref inFlight);

    /// <summary>The most loads that were in flight at the same time since the last reset.</summary>
    public int PeakInFlight => Volatile.Read(ref peakInFlight);

    /// <summary>How long every load and write waits before it answers.</summary>
    public TimeSpan Delay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref delayTicks));
        set => Interlocked.Exchange(ref delayTicks, value.Ticks);
    }

    /// <summary>The product as the origin holds it now: what a fresh load answers (null when it was removed).</summary>
    public Product? Current(string id) => missing.ContainsKey(id) ? null : products.GetOrAdd(id, First, secret);

    /// <summary>Changes a product at the origin behind the service's back (a new version), or creates it if it was removed.</summary>
    public Product Set(string id, string name, long price)
    {
        missing.TryRemove(id, out _);
        return products.AddOrUpdate(id, _ => new Product(id, name, price, 1), (_, old) => new Product(id, name, price, old.Version + 1));
    }

    /// <summary>Removes a product: loads of it answer 404 until it is <see cref="Set"/> again.</summary>
    public void Remove(string id)
    {
        missing[id] = 0;
        products.TryRemove(id, out _);
    }

    /// <summary>While on, every load of the product answers 503 (decided when the load arrives). Deterministic.</summary>
    public void Fail(string id, bool on = true)
    {
        if (on) failing[id] = 0;
        else failing.TryRemove(id, out _);
    }

    /// <summary>While on, every load of the product is cut off without an answer (decided when the load arrives).</summary>
    public void CutOff(string id, bool on = true)
    {
        if (on) unreachable[id] = 0;
        else unreachable.TryRemove(id, out _);
    }

    /// <summary>Loads that arrive from now on wait (counted and in flight) until <see cref="ReleaseLoads"/>, at most 20 s.</summary>
    public void HoldLoads()
    {
        lock (holdLock) if (loadGate.Task.IsCompleted) loadGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void ReleaseLoads()
    {
        lock (holdLock) loadGate.TrySetResult();
    }

    /// <summary>Writes that arrive from now on wait until <see cref="ReleaseWrites"/> (at most 20 s), and only then are stored.</summary>
    public void HoldWrites()
    {
        lock (holdLock) if (writeGate.Task.IsCompleted) writeGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void ReleaseWrites()
    {
        lock (holdLock) writeGate.TrySetResult();
    }

    /// <summary>Waits until at least <paramref name="count"/> loads (of one product, or of any) arrived since the reset; false when <paramref name="limit"/> passed first.</summary>
    public Task<bool> WaitForLoadsAsync(int count, TimeSpan limit, string? id = null, CancellationToken cancellationToken = default) =>
        WaitAsync(() => id is null ? loads.Count >= count : LoadsOf(id) >= count, limit, cancellationToken);

    /// <summary>Waits until at least <paramref name="count"/> loads are in flight at the same time; false when <paramref name="limit"/> passed first.</summary>
    public Task<bool> WaitForInFlightAsync(int count, TimeSpan limit, CancellationToken cancellationToken = default) =>
        WaitAsync(() => InFlight >= count, limit, cancellationToken);

    /// <summary>Waits until at least <paramref name="count"/> writes arrived since the reset; false when <paramref name="limit"/> passed first.</summary>
    public Task<bool> WaitForWritesAsync(int count, TimeSpan limit, CancellationToken cancellationToken = default) =>
        WaitAsync(() => writes.Count >= count, limit, cancellationToken);

    static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan limit, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed >= limit) return false;
            await Task.Delay(10, cancellationToken);
        }
        return true;
    }

    /// <summary>Forgets every load, write, change and behaviour, and releases anything held; tests call it first.</summary>
    public void Reset()
    {
        ReleaseLoads();
        ReleaseWrites();
        loads.Clear();
        writes.Clear();
        products.Clear();
        missing.Clear();
        failing.Clear();
        unreachable.Clear();
        Delay = TimeSpan.Zero;
        Interlocked.Exchange(ref peakInFlight, Volatile.Read(ref inFlight));
    }

    async Task<IResult> LoadAsync(string id, HttpContext context)
    {
        // What a load answers is decided when it arrives, so a test that changes the origin while the load is held
        // does not change that load's fate.
        var cutOff = unreachable.ContainsKey(id);
        var fails = failing.ContainsKey(id);
        var product = Current(id);
        var status = cutOff ? 0 : fails ? StatusCodes.Status503ServiceUnavailable : product is null ? StatusCodes.Status404NotFound : StatusCodes.Status200OK;
        Task held;
        lock (holdLock) held = loadGate.Task;
        loads.Enqueue(new OriginLoad(id, Now, status));
        var now = Interlocked.Increment(ref inFlight);
        for (var peak = Volatile.Read(ref peakInFlight); now > peak && Interlocked.CompareExchange(ref peakInFlight, now, peak) != peak; peak = Volatile.Read(ref peakInFlight)) { }
        try
        {
            await Task.WhenAny(held, Task.Delay(HoldCap));
            if (Delay > TimeSpan.Zero) await Task.Delay(Delay);
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
        switch (status)
        {
            case 0:
                context.Abort();
                return Results.Empty;
            case StatusCodes.Status503ServiceUnavailable:
                return Results.Json(new { error = "origin unavailable" }, statusCode: status);
            case StatusCodes.Status404NotFound:
                return Results.Json(new { error = "no such product" }, statusCode: status);
            default:
                return Results.Json(product, JsonOptions);
        }
    }

    async Task<IResult> WriteAsync(string id, HttpRequest request)
    {
        ProductBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<ProductBody>(request.Body, JsonOptions);
        }
        catch (JsonException)
        {
            body = null;
        }
        var valid = body is { Name.Length: > 0, Price: > 0 };
        Task held;
        lock (holdLock) held = writeGate.Task;
        writes.Enqueue(new OriginLoad(id, Now, valid ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest));
        // The write is applied only when it is answered: a held write has not changed the product yet.
        await Task.WhenAny(held, Task.Delay(HoldCap));
        if (Delay > TimeSpan.Zero) await Task.Delay(Delay);
        if (!valid) return Results.Json(new { error = "a product needs a name and a positive price" }, statusCode: StatusCodes.Status400BadRequest);
        return Results.Json(Set(id, body!.Name!, body.Price), JsonOptions);
    }

    /// <summary>The first version of a product nobody changed: made from its id and the origin's secret, the same for the origin's life.</summary>
    static Product First(string id, string secret)
    {
        var hash = 17L;
        foreach (var c in secret + id) hash = (hash * 31 + c) % 1_000_003;
        return new Product(id, $"Product {id} {secret[..4]}{hash % 97:D2}", 100 + hash % 99_900, 1);
    }

    static TaskCompletionSource Open()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    sealed record ProductBody(string? Name, long Price);

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
