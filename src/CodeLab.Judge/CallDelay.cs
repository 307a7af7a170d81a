namespace CodeLab.Judge;

/// <summary>
/// How long a fake's calls wait before they answer, and a way to end the wait of the calls waiting now.
/// <para>
/// A test that needs a call in flight sets the longest delay the statement promises (the ledger's or the provider's
/// "always answers within 3 seconds"), does what it must while the call waits, then calls <see cref="EndNow"/>: the
/// window is as wide as the statement allows however busy the machine, and the test does not sit out the rest of the
/// delay. A call waits at most the delay there was when it arrived.
/// </para>
/// </summary>
public sealed class CallDelay
{
    long ticks;
    TaskCompletionSource ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TimeSpan Value
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref ticks));
        set => Interlocked.Exchange(ref ticks, value.Ticks);
    }

    /// <summary>A call arrived: its wait is decided now (the delay as it is, ended by the next <see cref="EndNow"/>).</summary>
    public Wait Arrive() => new(Value, Volatile.Read(ref ended).Task);

    /// <summary>Every call waiting out its delay now answers at once; calls that arrive later wait as usual.</summary>
    public void EndNow() =>
        Interlocked.Exchange(ref ended, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>One call's wait.</summary>
    public readonly record struct Wait(TimeSpan Delay, Task Ended)
    {
        /// <summary>Returns after <see cref="Delay"/>, or sooner once the wait is ended.</summary>
        public async Task WaitAsync()
        {
            if (Delay <= TimeSpan.Zero || Ended.IsCompleted) return;
            using var timer = new CancellationTokenSource();
            await Task.WhenAny(Task.Delay(Delay, timer.Token), Ended);
            timer.Cancel();
        }
    }
}
