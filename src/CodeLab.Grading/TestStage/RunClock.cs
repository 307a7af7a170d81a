using System.Diagnostics;
using CodeLab.Protocol;

namespace CodeLab.Grading;

/// <summary>
/// Where one sandbox run's time went, from the runner's events as they arrive: readiness (input sent to the judge's
/// "ready"), tests (to the last test's result, or the run's end), load (the last test's result to the last scenario's
/// report). Reported to <see cref="GradeRequest.Timing"/> for bench/grade; never part of a grade.
/// </summary>
internal sealed class RunClock(Action<string, TimeSpan>? timing)
{
    long input, ready, lastResult, lastLoad;

    public void InputSent() => input = Stopwatch.GetTimestamp();

    public void Observe(RunnerEvent? e)
    {
        if (timing is null || e is null) return;
        var now = Stopwatch.GetTimestamp();
        switch (e.Event)
        {
            case RunnerEvents.Ready: ready = now; break;
            case RunnerEvents.Result or RunnerEvents.Timeout: lastResult = now; break;
            case RunnerEvents.Load: lastLoad = now; break;
        }
    }

    public void Ended()
    {
        if (timing is null || input == 0) return;
        var end = Stopwatch.GetTimestamp();
        var testsFrom = ready != 0 ? ready : input;
        if (ready != 0) timing(GradeStages.Readiness, Stopwatch.GetElapsedTime(input, ready));
        var testsTo = lastLoad != 0 && lastResult != 0 ? lastResult : end;
        timing(GradeStages.Tests, Stopwatch.GetElapsedTime(testsFrom, Math.Max(testsFrom, testsTo)));
        if (lastLoad != 0) timing(GradeStages.Load, Stopwatch.GetElapsedTime(Math.Max(testsFrom, testsTo), end));
    }
}
