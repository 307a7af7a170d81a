namespace CodeLab.Compilation.Tests;

public sealed class PolicyTests
{
    [Theory]
    [InlineData("process", "System.Diagnostics.Process.Start(\"sh\");")]
    [InlineData("process", "var p = new System.Diagnostics.ProcessStartInfo(\"sh\");")]
    [InlineData("reflection", "typeof(C).GetMethod(\"M\");")]
    [InlineData("reflection", "var t = System.Type.GetType(\"C\");")]
    [InlineData("reflection", "System.Reflection.Assembly.GetExecutingAssembly();")]
    [InlineData("reflection", "System.Activator.CreateInstance(typeof(C));")]
    [InlineData("reflection", "System.Action a = () => { }; a.DynamicInvoke();")]
    [InlineData("dynamic", "dynamic d = 1; d.Foo();")]
    [InlineData("process-exit", "System.Environment.Exit(0);")]
    [InlineData("process-exit", "System.Environment.FailFast(\"x\");")]
    [InlineData("console-streams", "System.Console.SetOut(System.IO.TextWriter.Null);")]
    [InlineData("console-streams", "var s = System.Console.OpenStandardOutput();")]
    [InlineData("file-system", "System.IO.File.WriteAllText(\"/tmp/x\", \"x\");")]
    [InlineData("file-system", "using var f = new System.IO.FileStream(\"/tmp/x\", System.IO.FileMode.Create);")]
    [InlineData("file-system", "var d = System.IO.Directory.GetFiles(\"/\");")]
    [InlineData("interop", "var size = System.Runtime.InteropServices.Marshal.SizeOf<int>();")]
    [InlineData("assembly-loading", "System.AppDomain.CurrentDomain.GetAssemblies();")]
    [InlineData("assembly-loading", "System.Runtime.Loader.AssemblyLoadContext.Default.LoadFromAssemblyPath(\"/x.dll\");")]
    [InlineData("assembly-loading", "System.AppContext.SetSwitch(\"x\", true);")]
    [InlineData("code-generation", "System.Linq.Expressions.Expression<System.Func<int>> e = () => 1; e.Compile();")]
    [InlineData("network", "using var http = new System.Net.Http.HttpClient();")]
    [InlineData("sockets", "using var s = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);")]
    [InlineData("environment", "System.Environment.SetEnvironmentVariable(\"A\", \"B\");")]
    [InlineData("debugger", "System.Diagnostics.Debugger.Break();")]
    [InlineData("unsafe", "unsafe { int x = 1; int* p = &x; }")]
    [InlineData("unsafe", "System.Runtime.CompilerServices.Unsafe.SizeOf<int>();")]
    [InlineData("outside-allow-list", "var w = new System.Xml.XmlDocument();")]
    public void Forbidden_api_is_refused_with_its_rule_and_line(string rule, string statement)
    {
        var code = $"namespace A;\npublic class C\n{{\n    public void M()\n    {{\n        {statement}\n    }}\n}}";
        var violations = Compile.Violations(code);
        violations.ShouldContain(v => v.Rule == rule && v.File == "src/Code.cs" && v.Line == 6,
            $"expected rule {rule} at line 6, got: {string.Join("; ", violations.Select(v => $"{v.Rule}@{v.Line} {v.Message}"))}");
    }

    [Theory]
    [InlineData("interop", "[System.Runtime.InteropServices.DllImport(\"libc\")] static extern int getpid();")]
    [InlineData("unsafe", "unsafe void P(int* x) { }")]
    [InlineData("unsafe", "void F(delegate*<void> f) { }")]
    [InlineData("module-initializer", "[System.Runtime.CompilerServices.ModuleInitializer] internal static void Init() { }")]
    [InlineData("unsafe", "[System.Runtime.CompilerServices.UnsafeAccessor(System.Runtime.CompilerServices.UnsafeAccessorKind.Field, Name = \"x\")] static extern ref int X(C c);")]
    public void Forbidden_declarations_are_refused(string rule, string member)
    {
        var code = $"namespace A;\npublic class C\n{{\n    {member}\n}}";
        var violations = Compile.Violations(code);
        violations.ShouldContain(v => v.Rule == rule, string.Join("; ", violations.Select(v => $"{v.Rule}@{v.Line} {v.Message}")));
    }

    [Fact]
    public void Messages_name_the_api_and_explain_the_rule()
    {
        var violation = Compile.Violations("namespace A; public class C { public void M() => System.Environment.Exit(0); }").Single(v => v.Line > 0);
        violation.Message.ShouldBe("System.Environment.Exit: not allowed in a submission: ending the process (Environment.Exit, Environment.FailFast). Throw an exception or return instead: the test run would end with it.");
    }

    [Fact]
    public void A_module_initializer_is_also_caught_in_the_emitted_il()
    {
        var violations = Compile.Violations("namespace A; public static class C { [System.Runtime.CompilerServices.ModuleInitializer] internal static void Init() { } }");
        violations.ShouldContain(v => v.Rule == "module-initializer" && v.Line == 0);
    }

    [Fact]
    public void Ordinary_modern_csharp_is_allowed_by_both_passes()
    {
        // What good solutions look like: none of it may be refused, or a correct solution would be marked down.
        const string code = """
            using System.Collections.Concurrent;
            using System.Diagnostics;
            using System.Security.Cryptography;
            using System.Text;
            using System.Text.Json;
            namespace RateLimiting;

            public readonly record struct Decision(bool Allowed, int Remaining, TimeSpan RetryAfter);
            public sealed record Options(int Capacity, double RefillPerSecond) { public required string Name { get; init; } }

            public sealed class Limiter(Options options, TimeProvider time)
            {
                readonly ConcurrentDictionary<string, Bucket> buckets = new(StringComparer.Ordinal);
                readonly Lock gate = new();
                static int created;
                public int this[string key] => buckets.TryGetValue(key, out var b) ? (int)b.Tokens : options.Capacity;

                public Decision TryAcquire(in string key, int permits = 1)
                {
                    ArgumentException.ThrowIfNullOrEmpty(key);
                    var bucket = buckets.GetOrAdd(key, _ => { Interlocked.Increment(ref created); return new Bucket(options.Capacity, time.GetTimestamp()); });
                    lock (gate)
                    {
                        var elapsed = time.GetElapsedTime(bucket.Stamp);
                        bucket.Tokens = Math.Min(options.Capacity, bucket.Tokens + elapsed.TotalSeconds * options.RefillPerSecond);
                        bucket.Stamp = time.GetTimestamp();
                        if (bucket.Tokens >= permits) { bucket.Tokens -= permits; return new(true, (int)bucket.Tokens, TimeSpan.Zero); }
                        return new(false, 0, TimeSpan.FromSeconds((permits - bucket.Tokens) / options.RefillPerSecond));
                    }
                }

                public async Task<string> DescribeAsync(CancellationToken ct)
                {
                    await Task.Delay(1, ct);
                    var sw = Stopwatch.StartNew();
                    int[] sizes = [1, 2, 3];
                    ReadOnlySpan<int> span = [4, 5, 6];
                    List<int> all = [.. sizes, .. span.ToArray()];
                    var text = $"{GetType().Name} {typeof(Limiter).Name} {nameof(TryAcquire)} {all.Sum()} {sw.Elapsed}";
                    var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
                    var json = JsonSerializer.Serialize(new { text, hash });
                    var sb = new StringBuilder().Append(json);
                    foreach (var (key, value) in buckets.OrderBy(kv => kv.Key)) sb.Append(key).Append(value.Tokens);
                    Console.WriteLine(sb.ToString());
                    var env = Environment.GetEnvironmentVariable("HOME") ?? Environment.ProcessorCount.ToString();
                    return env + text switch { { Length: > 3 } => "long", _ => "short" };
                }

                public IEnumerable<int> Count() { for (var i = 0; i < 3; i++) yield return i; }

                sealed class Bucket(double tokens, long stamp) { public double Tokens = tokens; public long Stamp = stamp; }
            }
            """;
        var violations = Compile.Violations(code);
        violations.ShouldBeEmpty(string.Join("\n", violations.Select(v => $"{v.Rule}@{v.Line} {v.Message}")));
    }

    [Fact]
    public void Ordinary_code_next_to_refused_apis_is_allowed()
    {
        // Shapes that sit beside what the policy refuses (base-constructor calls, algorithm factories, configuration
        // binding, generic construction, deconstruction, nameof, unnamed wait handles, the IsExternalInit polyfill):
        // a correct solution written this way must never be refused.
        const string code = """
            using System.Security.Cryptography;
            using System.Text;
            namespace System.Runtime.CompilerServices { internal static class IsExternalInit { } }
            namespace Ledger
            {
                public sealed class LedgerException(string message, Exception? inner = null) : InvalidOperationException(message, inner);
                public sealed class Entry { public Entry() { } public string Id { get; init; } = ""; }
                public sealed class LineReader : StreamReader
                {
                    public LineReader(Stream stream) : base(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true) { }
                }
                public sealed class Capture() : StringWriter(System.Globalization.CultureInfo.InvariantCulture);
                public static class Tools
                {
                    static readonly Mutex Gate = new(false);
                    static readonly SemaphoreSlim Slots = new(4);
                    public static T Make<T>() where T : new() => new T();
                    public static string Hash(string text)
                    {
                        using var sha = SHA256.Create();
                        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, [1, 2, 3]);
                        using var aes = Aes.Create();
                        hmac.AppendData(Encoding.UTF8.GetBytes(text));
                        return Convert.ToHexString(sha.ComputeHash(Encoding.UTF8.GetBytes(text))) + Convert.ToHexString(hmac.GetHashAndReset()) + nameof(Hash);
                    }
                    public static int Sum(Dictionary<string, int> totals)
                    {
                        var sum = 0;
                        foreach (var (key, value) in totals) sum += key.Length + value;
                        var (first, second) = (sum, totals.Count);
                        var pair = new KeyValuePair<string, int>("a", 1);
                        var (name, count) = pair;
                        return first + second + name.Length + count + Make<Entry>().Id.Length + Make<List<int>>().Count;
                    }
                }
            }
            """;
        var violations = Compile.Violations(code);
        violations.ShouldBeEmpty(string.Join("\n", violations.Select(v => $"{v.Rule}@{v.Line} {v.Message}")));
    }

    [Fact]
    public void Binding_configuration_to_own_options_is_allowed()
    {
        const string code = """
            using Microsoft.Extensions.Configuration;
            using Microsoft.Extensions.DependencyInjection;
            namespace Microsoft.Extensions.DependencyInjection
            {
                // Extension methods are often put in the container's namespace so that they show up without a using.
                public static class LedgerServiceCollectionExtensions
                {
                    public static IServiceCollection AddLedger(this IServiceCollection services, IConfiguration config)
                    {
                        var options = new Ledger.LedgerOptions();
                        config.GetSection("Ledger").Bind(options);
                        config.Bind("Ledger", options);
                        services.AddSingleton(options);
                        services.AddSingleton(typeof(TimeProvider), TimeProvider.System);
                        services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(Microsoft.Extensions.Logging.Logger<>));
                        services.AddScoped(typeof(Ledger.LedgerOptions));
                        services.AddOptions<Ledger.LedgerOptions>().Bind(config.GetSection("Ledger"));
                        services.Configure<Ledger.LedgerOptions>(config.GetSection("Ledger"));
                        return services;
                    }
                }
            }
            namespace Ledger { public sealed class LedgerOptions { public int Capacity { get; set; } = 10; public string Name { get; set; } = ""; } }
            """;
        var violations = Compile.Violations(code, aspNet: true);
        violations.ShouldBeEmpty(string.Join("\n", violations.Select(v => $"{v.Rule}@{v.Line} {v.Message}")));
    }

    [Fact]
    public void AspNetCore_middleware_is_allowed_when_the_exercise_allows_the_framework()
    {
        const string code = """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Http;
            using Microsoft.Extensions.Configuration;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.DependencyInjection.Extensions;
            using Microsoft.Extensions.Options;
            namespace A;
            public sealed class LimitOptions { public int Capacity { get; set; } = 10; }
            public static class Extensions
            {
                public static IServiceCollection AddLimits(this IServiceCollection services, IConfiguration config)
                {
                    services.TryAddSingleton(TimeProvider.System);
                    services.Configure<LimitOptions>(config.GetSection("Limits"));
                    return services;
                }
                public static IApplicationBuilder UseLimits(this IApplicationBuilder app) => app.Use(async (HttpContext context, RequestDelegate next) =>
                {
                    var options = context.RequestServices.GetRequiredService<IOptions<LimitOptions>>().Value;
                    if (!context.Request.Headers.TryGetValue("X-Tenant-Id", out var tenant) || options.Capacity == 0)
                    {
                        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                        context.Response.Headers.RetryAfter = "1";
                        await context.Response.WriteAsync($"slow down {tenant}");
                        return;
                    }
                    await next(context);
                });
            }
            """;
        Compile.Violations(code, aspNet: true).ShouldBeEmpty();
    }
}
