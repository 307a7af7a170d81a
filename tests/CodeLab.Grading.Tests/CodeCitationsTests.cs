using CodeLab.Compilation;

namespace CodeLab.Grading.Tests;

/// <summary>
/// The candidate's lines a reviewer should read beside a failed criterion, found by syntax alone: each Redis call and
/// what it does about expiry, and the locks, atomics and shared collections that state lives in.
/// </summary>
public sealed class CodeCitationsTests
{
    static readonly SourceFile Store = new("src/Store.cs", """
        using StackExchange.Redis;
        class Store(IDatabase db)
        {
            const string Claim = "return redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])";
            const string Forever = "return redis.call('SET', KEYS[1], ARGV[1], 'NX')";
            public async Task Run(string key)
            {
                await db.StringSetAsync(key, "v");
                await db.StringSetAsync(key, "v", TimeSpan.FromMinutes(5));
                await db.StringSetAsync(key, "v", expiry: null);
                await db.KeyExpireAsync(key, TimeSpan.FromSeconds(30));
                await db.ScriptEvaluateAsync(Claim, [key]);
                await db.ScriptEvaluateAsync(Forever, [key]);
                await db.StringGetAsync(key);
                await db.HashIncrementAsync(key, "n");
                Console.WriteLine(key);
            }
        }
        """);

    static readonly SourceFile Limiter = new("src/Limiter.cs", """
        using System.Collections.Concurrent;
        class Limiter
        {
            readonly Dictionary<string, int> counts = new Dictionary<string, int>();
            readonly ConcurrentDictionary<string, int> safe = new ConcurrentDictionary<string, int>();
            readonly object gate = new();
            long total;
            public void Take(string key)
            {
                lock (gate) { counts[key] = 1; }
                Interlocked.Increment(ref total);
                var local = new Dictionary<string, int>();
            }
        }
        """);

    [Fact]
    public void Each_redis_call_is_cited_with_what_it_does_about_expiry()
    {
        var cited = CodeCitations.Find([Store, Limiter], ["redis"]);
        cited.Select(c => (c.Line, c.Note)).ShouldBe(
        [
            (8, "StringSetAsync: writes a key with no expiry"),
            (9, "StringSetAsync: writes a key that expires (TimeSpan.FromMinutes(5))"),
            (10, "StringSetAsync: writes a key with no expiry"),
            (11, "KeyExpireAsync: sets an expiry (TimeSpan.FromSeconds(30)), as a separate command"),
            (12, "ScriptEvaluateAsync: runs a Lua script that sets an expiry"),
            (13, "ScriptEvaluateAsync: runs a Lua script that sets no expiry"),
            (14, "StringGetAsync"),
            (15, "HashIncrementAsync: writes without an expiry of its own"),
        ]);
        cited.ShouldAllBe(c => c.File == "src/Store.cs");
        cited[0].Code.ShouldBe("await db.StringSetAsync(key, \"v\");");
    }

    [Fact]
    public void Locks_atomics_and_collections_held_in_fields_are_cited_but_not_a_local_collection()
    {
        var cited = CodeCitations.Find([Store, Limiter], ["locks"]);
        cited.Select(c => c.Note).ShouldBe(
        [
            "a Dictionary held in a field (not safe for parallel callers without a lock)",
            "new ConcurrentDictionary",
            "lock (gate)",
            "Interlocked.Increment",
        ]);
    }

    [Fact]
    public void Code_that_does_not_compile_is_still_read_and_an_unknown_kind_is_a_defect_of_the_exercise()
    {
        var broken = new SourceFile("src/Broken.cs", "class B { void M(IDatabase db) { db.KeyDeleteAsync(\"k\") } ");
        CodeCitations.Find([broken], ["redis"]).Single().Note.ShouldBe("KeyDeleteAsync");
        Should.Throw<ArgumentException>(() => CodeCitations.Find([broken], ["network"]));
    }
}
