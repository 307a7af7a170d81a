using System.Diagnostics;
using System.Runtime.Loader;
using CodeLab.Protocol;
using Xunit.Runner.Common;
using Xunit.Sdk;
using Xunit.v3;

namespace CodeLab.Runner;

/// <summary>
/// Hosts xUnit v3 in this process: discovers the requested test methods in the test assembly, runs them
/// one at a time, and streams a start and a result event per test case on the private channel.
/// </summary>
internal static class TestHost
{
    public static async Task<int> RunAsync(RunManifest manifest, string workDir, PrivateChannel channel, CappedWriter capture)
    {
        capture.Cap = manifest.OutputCapBytes;
        var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.Combine(workDir, manifest.TestAssembly));
        var wanted = manifest.Tests.ToHashSet(StringComparer.Ordinal);

        // One test at a time: results are attributed to the right test, and a hung or crashing test
        // is identified exactly (the grader resumes the rest in a fresh sandbox).
        var configuration = new TestAssemblyConfiguration
        {
            ParallelizeTestCollections = false,
            MaxParallelThreads = 1,
            PreEnumerateTheories = true,
            DiagnosticMessages = false,
        };

        Xunit.TestContext.SetForInitialization(null, diagnosticMessages: false, internalDiagnosticMessages: false);
        var framework = ExtensibilityPointFactory.GetTestFramework(assembly);
        var controller = new InProcessFrontController(framework, assembly, null);
        using var watchdog = new Watchdog(channel, TimeSpan.FromMilliseconds(manifest.TestTimeoutMs));
        var sink = new ChannelSink(channel, capture, watchdog);
        using var cancellation = new CancellationTokenSource();

        await controller.FindAndRun(
            sink,
            TestFrameworkOptions.ForDiscovery(configuration),
            TestFrameworkOptions.ForExecution(configuration),
            testCase => wanted.Contains(testCase.TestClassName + "." + testCase.TestMethodName),
            cancellation);

        if (framework is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync();
        else if (framework is IDisposable disposable) disposable.Dispose();
        return sink.Executed;
    }

    /// <summary>Turns xUnit's message stream into runner events.</summary>
    sealed class ChannelSink(PrivateChannel channel, CappedWriter capture, Watchdog watchdog) : IMessageSink
    {
        readonly Dictionary<string, ITestCaseStarting> cases = new(StringComparer.Ordinal);
        readonly Dictionary<string, RunnerEvent> pending = new(StringComparer.Ordinal);

        public int Executed { get; private set; }

        public bool OnMessage(IMessageSinkMessage message)
        {
            switch (message)
            {
                case ITestCaseStarting caseStarting:
                    cases[caseStarting.TestCaseUniqueID] = caseStarting;
                    break;
                case ITestStarting starting:
                {
                    var start = Describe(starting.TestCaseUniqueID, starting.TestDisplayName, RunnerEvents.Start);
                    capture.TakeAndReset();
                    channel.Write(start);
                    watchdog.Begin(start);
                    break;
                }
                case ITestPassed passed:
                    pending[passed.TestUniqueID] = Describe(passed.TestCaseUniqueID, null, RunnerEvents.Result) with { Status = "pass", DurationMs = Ms(passed.ExecutionTime) };
                    break;
                case ITestFailed failed:
                    pending[failed.TestUniqueID] = Describe(failed.TestCaseUniqueID, null, RunnerEvents.Result) with
                    {
                        Status = "fail",
                        DurationMs = Ms(failed.ExecutionTime),
                        ExceptionType = failed.ExceptionTypes.FirstOrDefault(),
                        Message = string.Join("\n---- ", failed.Messages),
                        StackTrace = failed.StackTraces.FirstOrDefault(),
                    };
                    break;
                case ITestSkipped skipped:
                    pending[skipped.TestUniqueID] = Describe(skipped.TestCaseUniqueID, null, RunnerEvents.Result) with { Status = "skip", Message = skipped.Reason };
                    break;
                case ITestNotRun notRun:
                    pending[notRun.TestUniqueID] = Describe(notRun.TestCaseUniqueID, null, RunnerEvents.Result) with { Status = "notrun" };
                    break;
                case ITestFinished finished:
                {
                    watchdog.End();
                    Executed++;
                    var console = capture.TakeAndReset();
                    var output = string.IsNullOrEmpty(finished.Output) ? console : finished.Output + console;
                    var result = pending.Remove(finished.TestUniqueID, out var r)
                        ? r
                        : Describe(finished.TestCaseUniqueID, null, RunnerEvents.Result) with { Status = "fail", Message = "xUnit reported no outcome for this test." };
                    channel.Write(result with { Output = string.IsNullOrEmpty(output) ? null : output });
                    break;
                }
                case IErrorMessage error:
                    channel.Write(new RunnerEvent { Event = RunnerEvents.Fatal, ExceptionType = error.ExceptionTypes.FirstOrDefault(), Message = string.Join("\n---- ", error.Messages), StackTrace = error.StackTraces.FirstOrDefault() });
                    break;
                case ITestCaseCleanupFailure or ITestClassCleanupFailure or ITestCollectionCleanupFailure or ITestAssemblyCleanupFailure or ITestCleanupFailure:
                    var cleanup = (IErrorMetadata)message;
                    channel.Write(new RunnerEvent { Event = RunnerEvents.Cleanup, ExceptionType = cleanup.ExceptionTypes.FirstOrDefault(), Message = string.Join("\n---- ", cleanup.Messages) });
                    break;
            }
            return true;
        }

        RunnerEvent Describe(string testCaseId, string? displayName, string kind)
        {
            cases.TryGetValue(testCaseId, out var testCase);
            return new RunnerEvent
            {
                Event = kind,
                Class = testCase?.TestClassName,
                Method = testCase?.TestMethodName,
                Case = displayName ?? testCase?.TestCaseDisplayName,
            };
        }

        static double Ms(decimal seconds) => Math.Round((double)seconds * 1000, 1);
    }

    /// <summary>
    /// A synchronous endless loop cannot be cancelled in .NET; the only honest way out is to report the
    /// test as timed out and end the process. The grader then resumes the remaining tests elsewhere.
    /// </summary>
    sealed class Watchdog : IDisposable
    {
        readonly PrivateChannel channel;
        readonly TimeSpan limit;
        readonly Thread thread;
        readonly Lock gate = new();
        RunnerEvent? current;
        long startedAt;
        volatile bool stopped;

        public Watchdog(PrivateChannel channel, TimeSpan limit)
        {
            this.channel = channel;
            this.limit = limit;
            thread = new Thread(Watch) { IsBackground = true, Name = "codelab-watchdog", Priority = ThreadPriority.AboveNormal };
            thread.Start();
        }

        public void Begin(RunnerEvent test)
        {
            lock (gate) { current = test; startedAt = Stopwatch.GetTimestamp(); }
        }

        public void End()
        {
            lock (gate) current = null;
        }

        void Watch()
        {
            while (!stopped)
            {
                Thread.Sleep(50);
                RunnerEvent? overdue = null;
                lock (gate)
                {
                    if (current is not null && Stopwatch.GetElapsedTime(startedAt) > limit) overdue = current;
                }
                if (overdue is null) continue;
                channel.Write(overdue with { Event = RunnerEvents.Timeout, DurationMs = limit.TotalMilliseconds });
                channel.Dispose();
                Environment.Exit(RunnerProgram.ExitTestTimedOut);
            }
        }

        public void Dispose() => stopped = true;
    }
}
