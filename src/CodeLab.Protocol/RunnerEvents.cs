namespace CodeLab.Protocol;

/// <summary>The kinds of event on the runner's private channel, and who may send them when (the grader's run fold enforces the order).</summary>
public static class RunnerEvents
{
    /// <summary>First event of every run: the protocol version (n) and the hardening the runner applied (msg).</summary>
    public const string Hello = "hello";
    /// <summary>Judge runs: every replica of the candidate's service answered its health URL (ms = how long it took).</summary>
    public const string Ready = "ready";
    /// <summary>Judge runs: the service never became ready (msg = why); no test runs.</summary>
    public const string NotReady = "notready";
    /// <summary>A test (one row of a theory) begins: cls, m, case.</summary>
    public const string Start = "start";
    /// <summary>The test that started last ended: status pass | fail | skip | notrun, with message, stack and output.</summary>
    public const string Result = "result";
    /// <summary>The test in flight ran past its time-out; the runner ends its process right after.</summary>
    public const string Timeout = "timeout";
    /// <summary>A fact a judge's trusted fake counted: m = name, msg = expected, out = actual, status = pass | fail.</summary>
    public const string Check = "check";
    /// <summary>A load scenario's outcome: m = scenario, out = stats as JSON, msg = a note or why it could not run.</summary>
    public const string Load = "load";
    /// <summary>Judge runs: a request to act on the world (n = request number, msg = command); answered on stdin.</summary>
    public const string Control = "control";
    /// <summary>A test framework cleanup failed (not charged to a test).</summary>
    public const string Cleanup = "cleanup";
    /// <summary>The runner itself failed (msg, type, stack).</summary>
    public const string Fatal = "fatal";
    /// <summary>Last event of a complete run: n = how many test results were sent. Nothing may follow it, and the process must then exit 0.</summary>
    public const string Done = "done";
}
