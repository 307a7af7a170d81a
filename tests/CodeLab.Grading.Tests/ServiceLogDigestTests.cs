using CodeLab.Reports;

namespace CodeLab.Grading.Tests;

/// <summary>
/// A replica's log reduced to what a reviewer acts on: unhandled exceptions, errors and warnings, grouped so that one
/// problem repeated with other ids and numbers is one entry with a count, worst level first.
/// </summary>
public sealed class ServiceLogDigestTests
{
    const string Log = """
        info: Microsoft.Hosting.Lifetime[14]
              Now listening on: http://0.0.0.0:8080
        warn: Gcra[0]
              Redis unreachable (The operation has timed out.); admitting requests for the next second
        info: Microsoft.AspNetCore.Hosting.Diagnostics[2]
              Request finished HTTP/1.1 GET http://app-2:8080/api/orders - 200 - 520.5187ms
        fail: Microsoft.AspNetCore.Server.Kestrel[13]
              Connection id "0HNQGBIMA6G1F", Request id "0HNQGBIMA6G1F:00000001": An unhandled exception was thrown by the application.
              System.Threading.Tasks.TaskCanceledException: A task was canceled.
                 at StackExchange.Redis.RedisDatabase.ScriptEvaluateAsync(String script) in RedisDatabase.cs:line 1975
        warn: Gcra[0]
              Redis unreachable (The operation has timed out.); admitting requests for the next second
        fail: Microsoft.AspNetCore.Server.Kestrel[13]
              Connection id "0HNQGBIMA6G2A", Request id "0HNQGBIMA6G2A:00000003": An unhandled exception was thrown by the application.
              System.Threading.Tasks.TaskCanceledException: A task was canceled.
        fail: Payments[1]
              Provider call 17 failed after 2.5 s
        fail: Payments[1]
              Provider call 18 failed after 3.1 s
        Unhandled exception. System.InvalidOperationException: REDIS_CONNECTION is not set
        """;

    [Fact]
    public void Repeats_of_one_problem_group_with_their_count_and_the_worst_level_comes_first()
    {
        var digest = ServiceLogDigest.Read("app-2", Log, truncated: false);

        digest.Entries.Select(e => (e.Level, e.Category, e.Count)).ShouldBe(
        [
            (LogLevels.Unhandled, "Microsoft.AspNetCore.Server.Kestrel", 2),
            (LogLevels.Unhandled, "process", 1),
            (LogLevels.Error, "Payments", 2),
            (LogLevels.Warning, "Gcra", 2),
        ]);
        digest.Entries[0].Message.ShouldContain("System.Threading.Tasks.TaskCanceledException: A task was canceled.");
        digest.Entries[1].Message.ShouldContain("REDIS_CONNECTION is not set");
        digest.Entries.ShouldAllBe(e => !e.Message.Contains("Request finished"));
    }

    [Fact]
    public void The_digest_counts_the_log_and_keeps_its_text_and_file_name()
    {
        var digest = ServiceLogDigest.Read("app-1", "info: A[1]\n      started\n", truncated: true);
        digest.File.ShouldBe("app-1.log");
        digest.Lines.ShouldBe(2);
        digest.Truncated.ShouldBeTrue();
        digest.Entries.ShouldBeEmpty();
        (digest.Warnings, digest.Errors, digest.Unhandled).ShouldBe((0, 0, 0));
    }

    [Fact]
    public void A_flood_of_distinct_problems_is_cut_to_the_first_twenty_and_long_messages_are_shortened()
    {
        var flood = string.Concat(Enumerable.Range(0, 40).Select(i => $"fail: Category{(char)('a' + i % 26)}{i / 26}[1]\n      {new string('x', 400)}\n"));
        var digest = ServiceLogDigest.Read("app-1", flood, truncated: false);
        digest.Entries.Count.ShouldBe(20);
        digest.Entries.ShouldAllBe(e => e.Message.Length <= 304);
    }
}
