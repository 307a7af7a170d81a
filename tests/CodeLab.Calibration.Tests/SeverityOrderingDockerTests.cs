using CodeLab.Exercises;
using CodeLab.Grading;
using CodeLab.Reports;

namespace CodeLab.Calibration.Tests;

/// <summary>
/// Points follow damage (issue 15): in CI's calibration session, at every level, every flawed solution whose worst
/// failure is a blocker scores below every one whose worst is major, and every major below every minor; each flawed
/// solution is at least as severe as the criterion its flaw.json names; and its report recommends what its severity says.
/// Also, without the engine: every exercise's severities and questions.json are complete and name real tests.
/// </summary>
[Trait("Category", "Docker")]
public sealed class SeverityOrderingDockerTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> Levels() => Catalog.Levels();

    [Theory]
    [MemberData(nameof(Levels))]
    public async Task Blockers_score_below_major_flaws_which_score_below_minor_ones(string exercise, string level)
    {
        var part = Catalog.Exercises.Find(exercise).ForLevel(level);
        var flawed = Solution.ReadAll(part).Where(s => s.Kind == SolutionKind.Flawed && s.Levels.Contains(level)).ToList();
        var graded = new List<(Solution Solution, string Severity, double Score)>();
        foreach (var solution in flawed)
        {
            var row = await Catalog.RowAsync(exercise, level, solution.Name);
            foreach (var report in row.Grades.Select(g => g.Report).OfType<GradeReport>().Where(r => r.Verdict == Verdicts.Graded))
            {
                var worst = report.Score.Band?.Severity;
                worst.ShouldNotBeNull($"{solution.Name} lost no points at {level}");
                // The least severe way the named criterion can fail: its own severity, a test's override, or a load
                // scenario that broke only its thresholds (slow-except-load is a latency flaw: major by design).
                var criterion = part.Level(level).Criteria.Single(c => c.Id == solution.Criterion);
                var declared = part.Tests.TestsFor(level).Where(t => t.Criterion == criterion.Id).Select(t => criterion.SeverityOf(t.Method))
                    .Concat(part.Level(level).Load.Where(l => l.Criterion == criterion.Id).Select(l => l.ThresholdSeverity ?? criterion.Severity))
                    .Append(criterion.Severity)
                    .MaxBy(Severities.Rank)!;
                Severities.Rank(worst).ShouldBeLessThanOrEqualTo(Severities.Rank(declared),
                    $"{solution.Name}: its flaw.json names '{solution.Criterion}' ({declared}), yet its worst failure is only {worst}");
                report.Recommendation.Decision.ShouldBe(worst switch
                {
                    Severities.Blocker => Decisions.DoNotAdvance,
                    Severities.Major => Decisions.Discuss,
                    _ => Decisions.Advance,
                }, $"{solution.Name}: {report.Recommendation.Reason}");
                report.Findings.ShouldNotBeEmpty();
                report.Findings[0].Severity.ShouldBe(worst);
                graded.Add((solution, worst, report.Score.Total));
            }
        }
        foreach (var g in graded.OrderBy(g => Severities.Rank(g.Severity)).ThenBy(g => g.Score))
            output.WriteLine($"{exercise} {level} {g.Solution.Name}: {g.Severity} {g.Score}");
        foreach (var worse in graded)
            foreach (var better in graded.Where(b => Severities.Rank(b.Severity) > Severities.Rank(worse.Severity)))
                worse.Score.ShouldBeLessThan(better.Score, $"{worse.Solution.Name} ({worse.Severity}) must score below {better.Solution.Name} ({better.Severity})");
        graded.ShouldAllBe(g => g.Score < 100);
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void Every_criterion_has_a_severity_a_consequence_and_questions_naming_real_tests(string exercise, string level)
    {
        var part = Catalog.Exercises.Find(exercise).ForLevel(level);
        var tests = part.Tests.TestsFor(level);
        var guidance = part.Guidance; // throws with the file and the problem when incomplete
        guidance.DiscussionAt(level).ShouldNotBeEmpty();
        foreach (var criterion in part.Level(level).Criteria)
        {
            Severities.IsKnown(criterion.Severity).ShouldBeTrue();
            var advice = guidance.For(criterion.Id);
            advice.Questions.ShouldNotBeEmpty();
            foreach (var method in advice.TestConsequences.Keys)
                part.Tests.All.ShouldContain(t => t.Criterion == criterion.Id && t.Method == method,
                    $"questions.json gives test '{method}' of '{criterion.Id}' a consequence, but no such test feeds it");
        }
        tests.ShouldNotBeEmpty();
    }
}
