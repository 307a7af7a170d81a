using System.Globalization;
using CodeLab.Exercises;
using CodeLab.Reports;

namespace CodeLab.Grading;

/// <summary>
/// What a reviewer acts on, built from what the grade found and what the exercise's author wrote (questions.json):
/// one finding per root cause (the failed tests of a criterion that share a severity and a consequence; a failed
/// criterion that builds on another failed one is folded into that one's finding), each with its consequence, its
/// size in words from the checks the judge counted, and its evidence; the recommendation from the worst severity;
/// the summary paragraph; the questions to ask.
/// </summary>
public static class Findings
{
    public static IReadOnlyList<FindingReport> Build(Exercise exercise, ExerciseLevel level, IReadOnlyList<TestInfo> tests,
        IReadOnlyList<TestReport> reports, IReadOnlyList<CheckReport> checks, IReadOnlyList<LoadReport> load, IReadOnlyList<Compilation.SourceFile> files)
    {
        var guidance = exercise.Guidance;
        var byId = tests.ToDictionary(t => t.Id);
        var failed = reports.Where(r => r.Status != TestStatuses.Pass).Select(r => (Report: r, Info: byId[r.Name])).ToList();
        var findings = new List<FindingReport>();
        foreach (var criterion in level.Criteria)
        {
            var mine = failed.Where(f => f.Info.Criterion == criterion.Id).ToList();
            if (mine.Count == 0) continue;
            var advice = guidance.For(criterion.Id);
            var groups = mine.GroupBy(f => (Severity: f.Report.Severity ?? criterion.Severity, Consequence: advice.ConsequenceOf(f.Info.Method)))
                .OrderBy(g => Severities.Rank(g.Key.Severity)).ToList();
            var failedChecks = checks.Where(c => c.Criterion == criterion.Id && !c.Passed).ToList();
            var code = advice.Cite.Count > 0 ? CodeCitations.Find(files, advice.Cite) : [];
            for (var i = 0; i < groups.Count; i++)
            {
                var group = groups[i];
                // The criterion's counted checks and code go with its worst cause: they cannot be told apart per test.
                var evidence = i == 0 ? failedChecks : [];
                var thresholds = load.Where(l => l.Criterion == criterion.Id && group.Any(g => g.Info.Id == $"load.{l.Scenario}"))
                    .SelectMany(l => l.Thresholds.Where(t => !t.Passed).Select(t => t.Message)).ToList();
                findings.Add(new FindingReport
                {
                    Severity = group.Key.Severity,
                    Criterion = criterion.Id,
                    Headline = criterion.Title,
                    Consequence = group.Key.Consequence,
                    Size = Size(group.Count(), mine.Count, tests.Count(t => t.Criterion == criterion.Id), evidence, thresholds),
                    Tests = group.Select(g => g.Report.Name).ToList(),
                    Checks = evidence,
                    Code = i == 0 ? code : [],
                });
            }
        }
        return Fold(findings, criterion => guidance.For(criterion).BuildsOn, level.Criteria.Select(c => c.Id).ToList());
    }

    /// <summary>
    /// One entry per root cause across criteria: a finding whose criterion builds on a failed criterion (directly or
    /// through others) goes under the first such foundation's worst finding, which takes the worst severity of what
    /// it holds. Scores are untouched: every criterion still loses its own points.
    /// </summary>
    internal static IReadOnlyList<FindingReport> Fold(IReadOnlyList<FindingReport> findings, Func<string, IReadOnlyList<string>> buildsOn, IReadOnlyList<string> criteriaInOrder)
    {
        var failed = findings.Select(f => f.Criterion).ToHashSet(StringComparer.Ordinal);
        string RootOf(string criterion, HashSet<string> seen)
        {
            if (!seen.Add(criterion)) return criterion;
            foreach (var foundation in buildsOn(criterion))
                if (failed.Contains(foundation)) return RootOf(foundation, seen);
            return criterion;
        }
        var rank = criteriaInOrder.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        var result = new List<FindingReport>();
        foreach (var group in findings.GroupBy(f => RootOf(f.Criterion, new HashSet<string>(StringComparer.Ordinal))))
        {
            var own = group.Where(f => f.Criterion == group.Key).OrderBy(f => Severities.Rank(f.Severity)).ToList();
            var folded = group.Where(f => f.Criterion != group.Key)
                .OrderBy(f => Severities.Rank(f.Severity)).ThenBy(f => rank.GetValueOrDefault(f.Criterion, int.MaxValue)).ToList();
            var worst = folded.Select(f => f.Severity).Append(own[0].Severity).MinBy(Severities.Rank)!;
            result.Add(own[0] with { Severity = worst, AlsoFailed = folded });
            result.AddRange(own.Skip(1));
        }
        return result.OrderBy(f => Severities.Rank(f.Severity)).ToList();
    }

    /// <summary>"20 counted where 1 was expected (charges for one key ...)"; the tests' count when nothing was counted.</summary>
    static string Size(int tests, int failedInCriterion, int inCriterion, IReadOnlyList<CheckReport> checks, IReadOnlyList<string> thresholds)
    {
        var parts = checks.Select(c => $"{c.Name}: {c.Actual} where {c.Expected} was expected").Concat(thresholds).ToList();
        var count = $"{tests} of {inCriterion} test{(inCriterion == 1 ? "" : "s")} of this criterion failed";
        return parts.Count == 0 ? count + "." : $"{string.Join("; ", parts)} ({count}).";
    }

    public static Recommendation Recommend(string verdict, string? stopReason, IReadOnlyList<FindingReport> findings, IReadOnlyList<CriterionScore> criteria)
    {
        string Title(string id) => criteria.FirstOrDefault(c => c.Id == id)?.Title ?? id;
        string Titles(string severity) => string.Join("; ", findings.Where(f => f.Severity == severity).Select(f => Title(f.Criterion)).Distinct());
        return verdict switch
        {
            Verdicts.Error => new(Decisions.None, "Grading did not finish, so nothing was judged: grade again once the cause is fixed."),
            Verdicts.CompileError => new(Decisions.DoNotAdvance, "The submission does not compile, so no behaviour could be checked."),
            Verdicts.Rejected => new(Decisions.DoNotAdvance, "The submission uses what the exercise's rules forbid, so nothing ran; read the violations before deciding whether it was a misunderstanding."),
            _ when findings.Any(f => f.Severity == Severities.Blocker) =>
                new(Decisions.DoNotAdvance, $"A blocker at this level ({Titles(Severities.Blocker)}): do not advance, whatever the score."),
            _ when findings.Any(f => f.Severity == Severities.Major) =>
                new(Decisions.Discuss, $"A major flaw ({Titles(Severities.Major)}): discuss it with the candidate before deciding; the follow-up questions are a start."),
            _ when findings.Count > 0 =>
                new(Decisions.Advance, $"Only minor points ({Titles(Severities.Minor)}): advance, and raise them in the interview."),
            _ => new(Decisions.Advance, "Every test and check passes: advance, and use the discussion points in the interview."),
        };
    }

    /// <summary>One paragraph: the recommendation, the worst finding and its size, the others, how the score was reached.</summary>
    public static string Summarize(string verdict, string? stopReason, Recommendation recommendation, IReadOnlyList<FindingReport> findings, ScoreReport score, IReadOnlyList<TestReport> tests)
    {
        if (verdict != Verdicts.Graded) return $"{stopReason ?? verdict} {recommendation.Reason}";
        var passed = tests.Count(t => t.Status == TestStatuses.Pass);
        if (findings.Count == 0) return $"All {tests.Count} tests pass. {recommendation.Reason}";
        var worst = findings[0];
        var others = findings.Skip(1).GroupBy(f => f.Severity).Select(g => $"{g.Count()} {g.Key}").ToList();
        var band = score.Band is { } b
            ? $" Score {N(score.Total)}/100: {N(score.Points)} of 100 points earned, placed in the {b.Severity} band ({N(b.Low)}-{N(b.High)}) that holds every submission whose worst failure is {b.Severity}."
            : "";
        var hung = tests.Count(t => t.Status == TestStatuses.Timeout);
        var crashed = tests.Count(t => t.Status == TestStatuses.Error);
        var extra = (hung > 0 ? $" {hung} timed out." : "") + (crashed > 0 ? $" {crashed} crashed or could not compile." : "");
        return $"{recommendation.Reason} {Capital(worst.Severity)}: {worst.Consequence.TrimEnd('.')}; {worst.Size.TrimEnd('.')}."
            + (others.Count > 0 ? $" Also {string.Join(", ", others)} finding{(findings.Count > 2 ? "s" : "")}." : "")
            + band + $" {passed} of {tests.Count} tests pass.{extra}";
    }

    /// <summary>The follow-up questions of each failed criterion, worst first; for a clean grade the level's discussion points.</summary>
    public static IReadOnlyList<QuestionReport> Questions(Exercise exercise, ExerciseLevel level, string verdict, IReadOnlyList<FindingReport> findings)
    {
        if (verdict != Verdicts.Graded) return [];
        if (findings.Count == 0)
            return exercise.Guidance.DiscussionAt(level.Id).Select(q => new QuestionReport("discussion", null, q.Ask, q.GoodAnswer)).ToList();
        return findings.SelectMany(f => f.AlsoFailed.Prepend(f)).Select(f => f.Criterion).Distinct()
            .SelectMany(c => exercise.Guidance.For(c).Questions.Select(q => new QuestionReport("follow-up", c, q.Ask, q.GoodAnswer)))
            .ToList();
    }

    static string Capital(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];

    static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
