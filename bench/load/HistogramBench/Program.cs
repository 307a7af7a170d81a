using System.Diagnostics;
using CodeLab.Load.Stats;
using HdrHistogram;

// Both histograms as the load engine configures them: microseconds, 3 significant digits, up to an hour.
const long Highest = 3_600_000_000;
const int Digits = 3;
var n = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
var rounds = args.Length > 1 ? int.Parse(args[1]) : 5;

var distributions = new (string Name, long[] Values)[]
{
    ("uniform 1 us..1 s", Generate(n, r => 1 + (long)(r.NextDouble() * 1_000_000))),
    ("exponential, mean 5 ms", Generate(n, r => (long)(-Math.Log(1 - r.NextDouble()) * 5_000))),
    ("lognormal, median 10 ms, sigma 1.5", Generate(n, r => (long)Math.Exp(Math.Log(10_000) + 1.5 * Gaussian(r)))),
    ("bimodal: 99 % ~2 ms, 1 % ~1.5 s", Generate(n, r => r.NextDouble() < 0.99 ? 1_500 + (long)(r.NextDouble() * 1_000) : 1_400_000 + (long)(r.NextDouble() * 200_000))),
};

Console.WriteLine($"histogram bench: {n:N0} values per distribution, {Digits} significant digits, highest {Highest:N0} us, {Environment.ProcessorCount} cores");
Console.WriteLine();
Console.WriteLine("accuracy: relative error against the exact sorted value (rank ceil(p/100*n)); max is the largest value recorded");
Console.WriteLine($"{"distribution",-36} {"measure",-6} {"exact",12} {"ours",12} {"err",9} {"hdr",12} {"err",9}");
foreach (var (name, values) in distributions)
{
    var ours = new LatencyHistogram(Digits, Highest);
    var hdr = new LongHistogram(1, Highest, Digits);
    foreach (var v in values) { ours.Record(v); hdr.RecordValue(v); }
    var sorted = (long[])values.Clone();
    Array.Sort(sorted);
    foreach (var p in new[] { 50.0, 99.0, 99.9 })
    {
        var exact = sorted[(int)Math.Ceiling(Math.Round(p / 100 * sorted.Length, 9)) - 1];
        Row(name, $"p{p}", exact, ours.ValueAtPercentile(p), hdr.GetValueAtPercentile(p));
    }
    Row(name, "max", sorted[^1], ours.Max, hdr.GetMaxValue());
}

Console.WriteLine();
Console.WriteLine($"recording cost: ns per value, median of {rounds} rounds over the exponential values");
var sample = distributions[1].Values;
Cost("ours, one thread (interlocked)", 1, () => new LatencyHistogram(Digits, Highest), (h, v) => h.Record(v));
Cost("hdr LongHistogram, one thread (not thread-safe)", 1, () => new LongHistogram(1, Highest, Digits), (h, v) => h.RecordValue(v));
Cost("hdr LongConcurrentHistogram, one thread", 1, () => new LongConcurrentHistogram(1, Highest, Digits), (h, v) => h.RecordValue(v));
Cost("ours, 2 threads into one histogram", 2, () => new LatencyHistogram(Digits, Highest), (h, v) => h.Record(v));
Cost("hdr LongConcurrentHistogram, 2 threads", 2, () => new LongConcurrentHistogram(1, Highest, Digits), (h, v) => h.RecordValue(v));

Console.WriteLine();
Console.WriteLine("memory: the counters of one histogram (fixed for its life), bytes");
Console.WriteLine($"  ours                         {new LatencyHistogram(Digits, Highest).FootprintBytes,10:N0}");
Console.WriteLine($"  hdr LongHistogram            {new LongHistogram(1, Highest, Digits).GetEstimatedFootprintInBytes(),10:N0}");
Console.WriteLine($"  hdr LongConcurrentHistogram  {new LongConcurrentHistogram(1, Highest, Digits).GetEstimatedFootprintInBytes(),10:N0}");
return 0;

void Cost<T>(string label, int threads, Func<T> create, Action<T, long> record)
{
    var perValue = new List<double>();
    long allocated = 0;
    for (var round = 0; round <= rounds; round++)
    {
        var h = create();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        if (threads == 1) foreach (var v in sample) record(h, v);
        else Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ => { foreach (var v in sample) record(h, v); });
        clock.Stop();
        var after = GC.GetTotalAllocatedBytes(precise: true);
        if (round == 0) continue; // JIT and tiering
        perValue.Add(clock.Elapsed.TotalNanoseconds / ((long)sample.Length * threads));
        allocated = Math.Max(allocated, after - before);
    }
    perValue.Sort();
    Console.WriteLine($"  {label,-50} {perValue[perValue.Count / 2],6:0.0} ns  (min {perValue[0]:0.0}, max {perValue[^1]:0.0}; allocated {allocated:N0} bytes per round)");
}

static void Row(string name, string measure, long exact, long ours, long hdr) =>
    Console.WriteLine($"{name,-36} {measure,-6} {exact,12:N0} {ours,12:N0} {Error(ours, exact),9} {hdr,12:N0} {Error(hdr, exact),9}");

static string Error(long measured, long exact) => exact == 0 ? (measured == 0 ? "0" : "inf") : $"{(measured - exact) * 100.0 / exact:+0.000;-0.000;0} %";

static long[] Generate(int count, Func<Random, long> next)
{
    var random = new Random(42);
    var values = new long[count];
    for (var i = 0; i < count; i++) values[i] = Math.Clamp(next(random), 0, Highest);
    return values;
}

static double Gaussian(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());
