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
            ? Scoring.Score(level, tests, outcomes, tested?.Load)
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
                Severity = FailureSeverity.Of(level, t, tested?.Load ?? []),
            };
        }).ToList();
        var figures = exercise.ForLevel(level.Id).ReferenceFigures;
        var load = (tested?.Load ?? []).Select(l => WithReference(l, figures, level.Id)).ToList();
        var checks = (IReadOnlyList<CheckReport>)[.. (tested?.Checks ?? []).Select(c => WithReference(c, figures, level.Id)), .. load.SelectMany(l => l.Checks)];
        var findings = verdict == Verdicts.Graded
            ? Findings.Build(exercise, level, tests, testReports, checks, load, submission.Files)
            : [];
        var recommendation = Findings.Recommend(verdict, stopReason, findings, score.Criteria);

        return new GradeReport
        {
            Exercise = exercise.Id,
            Level = level.Id,
            Verdict = verdict,
            Summary = Findings.Summarize(verdict, stopReason, recommendation, findings, score, testReports),
            Recommendation = recommendation,
            Findings = findings,
            Questions = Findings.Questions(exercise, level, verdict, findings),
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
            Load = load,
            // A load scenario's checks (what the fakes counted during the run) sit with the tests' checks.
            Checks = checks,
        };
    }

    static CheckReport WithReference(CheckReport check, ReferenceFigures figures, string level) =>
        check with { Reference = figures.For(level, check.Name) };

    static LoadReport WithReference(LoadReport load, ReferenceFigures figures, string level) => load with
    {
        Thresholds = load.Thresholds.Select(t => t with { Reference = figures.For(level, ReferenceFigures.ThresholdKey(load.Scenario, t.Expression)) }).ToList(),
        Checks = load.Checks.Select(c => WithReference(c, figures, level)).ToList(),
    };
}
