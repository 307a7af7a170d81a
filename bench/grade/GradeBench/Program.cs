using System.Diagnostics;
using System.Globalization;
using CodeLab.Grading;

// Usage: GradeBench <exercise> <level> <submission-folder> <runs>
//        GradeBench --levels <runs>     every level of every exercise, graded with its reference, one table
// Prints one line per grade (total and each stage of GradeStages in ms) and the medians of the warm grades.
const string usage = "usage: GradeBench <exercise> <level> <submission-folder> <runs (>= 2)> | GradeBench --levels <runs (>= 2)>";
var allLevels = args.Length == 2 && args[0] == "--levels";
if (!(allLevels || args.Length == 4) || !int.TryParse(args[^1], out var runs) || runs < 2)
{
    Console.Error.WriteLine(usage);
    return 2;
}

var started = Stopwatch.GetTimestamp();
using var context = await GradingContext.CreateAsync(CodeLabHome.Locate(), _ => { }, CancellationToken.None);
Console.WriteLine($"context ready in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms (engine check, image check, reaper)");
var grader = context.CreateGrader();

var targets = allLevels
    ? context.Catalog.All.SelectMany(e => e.AllLevels.Select(l => (Exercise: e.Id, Level: l.Id, Part: e.ForLevel(l.Id)))).ToList()
    : [(Exercise: args[0], Level: args[1], Part: context.Catalog.Find(args[0]).ForLevel(args[1]))];
var rows = new List<string>();
foreach (var (exercise, level, part) in targets)
{
    var submission = allLevels ? Path.Combine(part.Folder, "solutions", "reference") : args[2];
    var warm = await BenchAsync(exercise, level, submission);
    rows.Add(string.Create(CultureInfo.InvariantCulture,
        $"| {exercise} | {level} | {part.Kind} | {warm.Total:0} | {string.Join(" | ", GradeStages.All.Select(s => $"{warm.Stages[s]:0}"))} |"));
}
if (allLevels)
{
    Console.WriteLine();
    Console.WriteLine($"Warm medians in ms over {runs - 1} grades of the reference per level (the first grade of each level not counted):");
    Console.WriteLine();
    Console.WriteLine($"| exercise | level | kind | total | {string.Join(" | ", GradeStages.All)} |");
    Console.WriteLine($"| --- | --- | --- | ---: | {string.Join(" | ", GradeStages.All.Select(_ => "---:"))} |");
    foreach (var row in rows) Console.WriteLine(row);
}
return 0;

async Task<(double Total, Dictionary<string, double> Stages)> BenchAsync(string exercise, string level, string submission)
{
    var totals = new List<double>();
    var compiles = new List<double>();
    var tests = new List<double>();
    var stages = GradeStages.All.ToDictionary(s => s, _ => new List<double>());
    for (var i = 0; i < runs; i++)
    {
        var spent = GradeStages.All.ToDictionary(s => s, _ => 0.0);
        var t0 = Stopwatch.GetTimestamp();
        var request = new GradeRequest(exercise, level, submission) { Timing = (stage, took) => { lock (spent) spent[stage] += took.TotalMilliseconds; } };
        var report = await grader.GradeAsync(request, _ => { }, CancellationToken.None);
        var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        var split = string.Join(", ", GradeStages.All.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s} {spent[s]:0}")));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{exercise} {level} grade {i + 1}{(i == 0 ? " (first of this level)" : "")}: {ms:0} ms  ({split}; score {report.Score.Total}, {report.Verdict})"));
        if (i == 0) continue;
        totals.Add(ms);
        compiles.Add(report.Timings.CompileMs);
        tests.Add(report.Timings.TestMs);
        foreach (var s in GradeStages.All) stages[s].Add(spent[s]);
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"stage medians: {string.Join(", ", GradeStages.All.Select(s => $"{s} {Median(stages[s]):0} ms"))}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"warm median: {Median(totals):0} ms (compile {Median(compiles):0} ms, tests {Median(tests):0} ms) over {totals.Count} grades"));
    return (Median(totals), GradeStages.All.ToDictionary(s => s, s => Median(stages[s])));
}

static double Median(List<double> xs) { var s = xs.Order().ToList(); return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2; }
