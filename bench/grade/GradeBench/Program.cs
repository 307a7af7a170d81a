using System.Diagnostics;
using System.Globalization;
using CodeLab.Grading;

// Usage: GradeBench <exercise> <level> <submission-folder> <runs>
// Prints one line per grade (total and each stage of GradeStages in ms) and the medians of the warm grades.
if (args.Length != 4 || !int.TryParse(args[3], out var runs) || runs < 2)
{
    Console.Error.WriteLine("usage: GradeBench <exercise> <level> <submission-folder> <runs (>= 2)>");
    return 2;
}

var started = Stopwatch.GetTimestamp();
using var context = await GradingContext.CreateAsync(CodeLabHome.Locate(), _ => { }, CancellationToken.None);
Console.WriteLine($"context ready in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms (engine check, image check, reaper)");
var grader = context.CreateGrader();
var totals = new List<double>();
var compiles = new List<double>();
var tests = new List<double>();
var stages = GradeStages.All.ToDictionary(s => s, _ => new List<double>());
for (var i = 0; i < runs; i++)
{
    var spent = GradeStages.All.ToDictionary(s => s, _ => 0.0);
    var t0 = Stopwatch.GetTimestamp();
    var request = new GradeRequest(args[0], args[1], args[2]) { Timing = (stage, took) => { lock (spent) spent[stage] += took.TotalMilliseconds; } };
    var report = await grader.GradeAsync(request, _ => { }, CancellationToken.None);
    var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
    var split = string.Join(", ", GradeStages.All.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s} {spent[s]:0}")));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"grade {i + 1}{(i == 0 ? " (cold compiler)" : "")}: {ms:0} ms  ({split}; score {report.Score.Total}, {report.Verdict})"));
    if (i == 0) continue;
    totals.Add(ms);
    compiles.Add(report.Timings.CompileMs);
    tests.Add(report.Timings.TestMs);
    foreach (var s in GradeStages.All) stages[s].Add(spent[s]);
}
static double Median(List<double> xs) { var s = xs.Order().ToList(); return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2; }
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"stage medians: {string.Join(", ", GradeStages.All.Select(s => $"{s} {Median(stages[s]):0} ms"))}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"warm median: {Median(totals):0} ms (compile {Median(compiles):0} ms, tests {Median(tests):0} ms) over {totals.Count} grades"));
return 0;
