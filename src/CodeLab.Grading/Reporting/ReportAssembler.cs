using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using CodeLab.Compilation;
using CodeLab.Exercises;
using CodeLab.Reports;

namespace CodeLab.Grading;

/// <summary>Stage 7: turns the stages' findings into the report model, with a one-line summary for the reviewer.</summary>
internal static class ReportAssembler
{
    public static string CodeLabVersion { get; } =
        typeof(ReportAssembler).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static GradeReport Build(
        Exercise exercise, ExerciseLevel level, Submission submission, IReadOnlyList<TestInfo> tests,
        CompileStageResult compiled, TestStageResult? tested, string verdict, string? stopReason,
        string imageId, TimeSpan total)
    {
        var outcomes = tested?.Outcomes ?? tests.ToDictionary(t => t.Id, t => compiled.UncompilableTests.TryGetValue(t.Id, out var why)
            ? new TestOutcome(TestStatuses.Error, why, null, null, null)
            : TestOutcome.NotRun($"Did not run: {stopReason}"));
        var score = verdict == Verdicts.Graded
            ? Scoring.Score(level, tests, outcomes)
            : Scoring.Score(level, tests, new Dictionary<string, TestOutcome>());
        var testReports = tests.Select(t =>
        {
            var o = outcomes[t.Id];
            return new TestReport
            {
                Name = t.Id,
                Description = t.Description,
                Suite = t.Suite,
                Criterion = t.Criterion,
                Status = o.Status,
                Message = o.Message,
                DurationMs = o.DurationMs,
                CandidateStack = o.CandidateStack,
                Output = o.Output,
            };
        }).ToList();

        return new GradeReport
        {
            Exercise = exercise.Id,
            Level = level.Id,
            Verdict = verdict,
            Summary = Summarize(verdict, stopReason, score, testReports),
            Score = score,
            Compilation = new CompilationReport(
                compiled.CandidateAssembly is not null,
                Math.Round(compiled.Elapsed.TotalMilliseconds),
                compiled.Diagnostics.Select(d => new DiagnosticReport(d.Id, d.Severity, d.File, d.Line, d.Column, d.Message)).ToList()),
            Policy = new PolicyReport(compiled.Violations.Select(v => new PolicyViolationReport(v.Rule, v.File, v.Line, v.Message)).ToList())
            {
                Profile = exercise.Kind,
                Version = CodeLab.Compilation.Policy.PolicyProfile.Version,
            },
            Tests = testReports,
            Sandbox = tested?.Sandbox,
            Timings = new TimingsReport(
                Math.Round(compiled.Elapsed.TotalMilliseconds),
                Math.Round(tested?.Elapsed.TotalMilliseconds ?? 0),
                Math.Round(total.TotalMilliseconds)),
            Environment = new EnvironmentReport(CodeLabVersion, imageId, RuntimeInformation.FrameworkDescription),
            Submission = new SubmissionReport(submission.Sha256, submission.Sizes.Select(kv => new SubmissionFileReport(kv.Key, kv.Value)).ToList()),
            Notes = tested?.Notes ?? [],
            Load = tested?.Load ?? [],
            // A load scenario's checks (what the fakes counted during the run) sit with the tests' checks.
            Checks = [.. tested?.Checks ?? [], .. tested?.Load.SelectMany(l => l.Checks) ?? []],
        };
    }

    static string Summarize(string verdict, string? stopReason, ScoreReport score, IReadOnlyList<TestReport> tests)
    {
        if (verdict != Verdicts.Graded) return stopReason ?? verdict;
        var passed = tests.Count(t => t.Status == TestStatuses.Pass);
        if (passed == tests.Count) return $"All {tests.Count} tests pass.";
        var losses = score.Criteria.Where(c => c.Score < c.Max)
            .Select(c => $"{c.Title} (-{(c.Max - c.Score).ToString("0.#", CultureInfo.InvariantCulture)})");
        var hung = tests.Count(t => t.Status == TestStatuses.Timeout);
        var crashed = tests.Count(t => t.Status == TestStatuses.Error);
        var extra = (hung > 0 ? $" {hung} timed out." : "") + (crashed > 0 ? $" {crashed} crashed or could not compile." : "");
        return $"{passed} of {tests.Count} tests pass. Points lost on: {string.Join(", ", losses)}.{extra}";
    }
}
