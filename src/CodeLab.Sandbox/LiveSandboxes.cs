using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using CodeLab.Sandbox.Engine;

namespace CodeLab.Sandbox;

/// <summary>
/// The containers and networks this process created and has not removed yet, so that a grader that exits (SIGTERM,
/// Ctrl+C, SIGHUP, an unhandled error) takes them down on the way out. Once the exit has begun nothing new is created: grades
/// still running on worker threads went on starting containers after the exit hook had looked, and left them running.
/// <para>
/// An entry is made under the name chosen for the container or network before the create call is sent (the engine
/// removes by name as well as by id), so one whose create is still in flight when the exit begins is not missed: the
/// exit keeps removing it until its create has returned, and the creator removes it too when it sees the exit.
/// </para>
/// </summary>
public sealed class LiveSandboxes
{
    /// <summary>The exit hook's whole budget: removal must never hold the exit longer.</summary>
    internal static readonly TimeSpan ExitBudget = TimeSpan.FromSeconds(20);
    static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(200);
    static readonly TimeSpan MaxRetryPause = TimeSpan.FromSeconds(3);

    /// <summary>Kept so that the registrations stay alive as long as the process.</summary>
    static readonly List<PosixSignalRegistration> Signals = [];
    static readonly Lazy<LiveSandboxes> process = new(() =>
    {
        var live = new LiveSandboxes();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => live.Exit();
        // Since .NET 10 the runtime no longer turns SIGTERM into ProcessExit: the process just ends, so a signal that
        // ends it must be met here. The signal is not cancelled: the process still ends (or carries on with a cancel
        // of its own, as on Ctrl+C), only without its sandboxes.
        if (!OperatingSystem.IsWindows())
            foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGHUP })
                Signals.Add(PosixSignalRegistration.Create(signal, _ => live.Exit()));
        return live;
    });

    /// <summary>This process's: what is in it when the process exits is removed.</summary>
    public static LiveSandboxes Process => process.Value;

    readonly ConcurrentDictionary<Key, Entry> entries = new();
    /// <summary>Orders "the exit has begun" against a new entry and against a create returning: one side always sees the other.</summary>
    readonly Lock gate = new();
    bool exiting;

    internal LiveSandboxes() { }

    readonly record struct Key(bool Network, string Name);

    sealed class Entry(IContainerEngine engine)
    {
        public IContainerEngine Engine { get; } = engine;
        /// <summary>Null until the create call returns; until then removal goes by name.</summary>
        public volatile string? Id;
        /// <summary>True while the create call is in flight: the object may still appear after a removal found nothing.</summary>
        public bool Creating = true;
    }

    internal bool IsEmpty => entries.IsEmpty;

    /// <summary>Creates the container (its spec must name it). Throws <see cref="OperationCanceledException"/> once the process is exiting.</summary>
    internal Task<string> CreateContainerAsync(IContainerEngine engine, ContainerSpec spec, CancellationToken cancellationToken) =>
        CreateAsync(engine, new Key(false, spec.Name ?? throw new ArgumentException("a live container needs a name", nameof(spec))),
            () => engine.CreateContainerAsync(spec, cancellationToken));

    /// <summary>Creates the network. Throws <see cref="OperationCanceledException"/> once the process is exiting.</summary>
    public Task<string> CreateNetworkAsync(IContainerEngine engine, NetworkSpec spec, CancellationToken cancellationToken) =>
        CreateAsync(engine, new Key(true, spec.Name), () => engine.CreateNetworkAsync(spec, cancellationToken));

    /// <summary>
    /// Removes the container, asking again while the engine refuses or is still removing it (on a busy machine a
    /// removal can fail once on a mount still in use, or answer after our time-out and then say it is in progress),
    /// until <paramref name="timeout"/>. False when it is still there: it stays live, so the exit tries again, and the
    /// reaper gets it after that. Nothing to do when it is not live.
    /// </summary>
    internal async Task<bool> RemoveContainerQuietlyAsync(string name, TimeSpan timeout)
    {
        var key = new Key(false, name);
        if (!entries.TryGetValue(key, out var entry)) return true;
        using var cancel = new CancellationTokenSource(timeout);
        for (var pause = RetryPause; ; pause = Min(pause * 2, MaxRetryPause))
        {
            if (await RemoveAsync(key, entry, cancel.Token)) return true;
            // Dropped without removal: the engine's connection is gone and nothing more can be done from here.
            if (!entries.TryGetValue(key, out var still) || still != entry) return false;
            try { await Task.Delay(pause, cancel.Token); }
            catch (OperationCanceledException) { return false; }
        }
    }

    static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>Removes the network. Throws <see cref="ContainerEngineException"/> as the engine does (still in use, say).</summary>
    public async Task RemoveNetworkAsync(string name, CancellationToken cancellationToken)
    {
        var key = new Key(true, name);
        if (!entries.TryGetValue(key, out var entry)) return;
        await entry.Engine.RemoveNetworkAsync(entry.Id ?? name, cancellationToken);
        Forget(key, entry);
    }

    async Task<string> CreateAsync(IContainerEngine engine, Key key, Func<Task<string>> create)
    {
        var entry = new Entry(engine);
        lock (gate)
        {
            if (exiting) throw Refused(key);
            if (!entries.TryAdd(key, entry)) throw new InvalidOperationException($"{key.Name} is live already.");
        }
        string id;
        try
        {
            id = await create();
        }
        catch
        {
            // A create that failed or was cancelled may still have reached the engine.
            lock (gate) entry.Creating = false;
            await RemoveQuietlyAsync(key, entry);
            throw;
        }
        entry.Id = id;
        bool refused;
        lock (gate)
        {
            entry.Creating = false;
            refused = exiting;
        }
        if (!refused) return id;
        await RemoveQuietlyAsync(key, entry);
        throw Refused(key);
    }

    static OperationCanceledException Refused(Key key) =>
        new($"The process is exiting: {(key.Network ? "network" : "container")} {key.Name} is not created (or, created as the exit began, is removed).");

    async Task RemoveQuietlyAsync(Key key, Entry entry)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await RemoveAsync(key, entry, timeout.Token);
    }

    async Task<bool> RemoveAsync(Key key, Entry entry, CancellationToken cancellationToken)
    {
        var target = entry.Id ?? key.Name;
        try
        {
            if (key.Network) await entry.Engine.RemoveNetworkAsync(target, cancellationToken);
            else await entry.Engine.RemoveContainerAsync(target, cancellationToken);
        }
        catch (ObjectDisposedException)
        {
            // The engine's connection is gone (the command ended): nothing more can be done here, the reaper gets it.
            entries.TryRemove(new KeyValuePair<Key, Entry>(key, entry));
            return false;
        }
        catch (Exception ex) when (ex is ContainerEngineException or OperationCanceledException)
        {
            // Left for a later try, or for the reaper: it removes labelled leftovers whose owner process is gone.
            return false;
        }
        Forget(key, entry);
        return true;
    }

    /// <summary>Drops the entry once removed, unless its create is still in flight (then it may appear yet).</summary>
    void Forget(Key key, Entry entry)
    {
        lock (gate)
        {
            if (!entry.Creating) entries.TryRemove(new KeyValuePair<Key, Entry>(key, entry));
        }
    }

    void Exit()
    {
        try { RemoveAllAsync(ExitBudget).Wait(ExitBudget + TimeSpan.FromSeconds(2)); }
        catch (AggregateException) { /* the reaper gets what is left: the exit must not fail over it */ }
    }

    /// <summary>
    /// Begins the exit (nothing new is created from here on) and removes everything live, containers before networks
    /// (a network in use cannot go), again and again until nothing is live or <paramref name="budget"/> has passed.
    /// </summary>
    internal async Task RemoveAllAsync(TimeSpan budget)
    {
        lock (gate) exiting = true;
        using var timeout = new CancellationTokenSource(budget);
        while (!entries.IsEmpty && !timeout.IsCancellationRequested)
        {
            var round = entries.ToArray();
            // All at once: each removal is a kill and a wait for the engine, and nothing orders them.
            await Task.WhenAll(round.Where(e => !e.Key.Network).Select(e => RemoveAsync(e.Key, e.Value, timeout.Token)));
            await Task.WhenAll(round.Where(e => e.Key.Network).Select(e => RemoveAsync(e.Key, e.Value, timeout.Token)));
            if (entries.IsEmpty) break;
            try { await Task.Delay(RetryPause, timeout.Token); }
            catch (OperationCanceledException) { break; }
        }
    }
}
