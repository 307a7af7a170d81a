using CodeLab.Reports;

namespace CodeLab.Grading.Tests;

/// <summary>One finding per root cause across criteria: failures of criteria that build on a failed one are folded into it.</summary>
public sealed class FindingsFoldTests
{
    static readonly IReadOnlyList<string> Order = ["idempotency", "validation", "concurrency", "durability", "replicas"];

    static readonly Dictionary<string, string[]> BuildsOn = new()
    {
        ["concurrency"] = ["idempotency"],
        ["durability"] = ["idempotency"],
        ["replicas"] = ["idempotency", "concurrency"],
    };

    static FindingReport Finding(string criterion, string severity, string consequence = "") => new()
    {
        Severity = severity,
        Criterion = criterion,
        Headline = criterion,
        Consequence = consequence.Length > 0 ? consequence : $"{criterion} breaks.",
        Size = "1 of 1 tests of this criterion failed.",
        Tests = [$"{criterion}-test"],
    };

    static IReadOnlyList<FindingReport> Fold(params FindingReport[] findings) =>
        Findings.Fold(findings, c => BuildsOn.GetValueOrDefault(c) ?? [], Order);

    [Fact]
    public void Criteria_that_build_on_a_failed_one_are_shown_inside_its_finding()
    {
        var folded = Fold(Finding("idempotency", "blocker"), Finding("durability", "major"), Finding("replicas", "blocker"));

        var root = folded.ShouldHaveSingleItem();
        root.Criterion.ShouldBe("idempotency");
        root.AlsoFailed.Select(f => f.Criterion).ShouldBe(["replicas", "durability"]);
        root.AlsoFailed.ShouldAllBe(f => f.AlsoFailed.Count == 0);
    }

    [Fact]
    public void A_chain_of_foundations_ends_at_the_first_failed_one_without_its_own_failed_foundation()
    {
        var folded = Fold(Finding("concurrency", "blocker"), Finding("replicas", "blocker"), Finding("validation", "minor"));

        folded.Select(f => f.Criterion).ShouldBe(["concurrency", "validation"]);
        folded[0].AlsoFailed.ShouldHaveSingleItem().Criterion.ShouldBe("replicas");
        folded[1].AlsoFailed.ShouldBeEmpty();
    }

    [Fact]
    public void Independent_failures_stay_separate_findings()
    {
        var folded = Fold(Finding("durability", "major"), Finding("validation", "minor"), Finding("concurrency", "blocker"));

        folded.Select(f => f.Criterion).ShouldBe(["concurrency", "durability", "validation"]);
        folded.ShouldAllBe(f => f.AlsoFailed.Count == 0);
    }

    [Fact]
    public void The_root_takes_the_worst_severity_it_holds_so_the_recommendation_never_softens()
    {
        var folded = Fold(Finding("idempotency", "major"), Finding("replicas", "blocker"), Finding("validation", "minor"));

        folded[0].Criterion.ShouldBe("idempotency");
        folded[0].Severity.ShouldBe("blocker");
        folded[0].AlsoFailed.ShouldHaveSingleItem().Severity.ShouldBe("blocker");
        Findings.Recommend(Verdicts.Graded, null, folded, []).Decision.ShouldBe(Decisions.DoNotAdvance);
    }

    [Fact]
    public void A_criterion_with_two_causes_keeps_its_second_and_the_folded_failures_go_with_the_worst()
    {
        var folded = Fold(Finding("idempotency", "blocker", "charged twice"), Finding("idempotency", "major", "answer lost"), Finding("durability", "major"));

        folded.Count.ShouldBe(2);
        folded[0].Consequence.ShouldBe("charged twice");
        folded[0].AlsoFailed.ShouldHaveSingleItem().Criterion.ShouldBe("durability");
        folded[1].Consequence.ShouldBe("answer lost");
        folded[1].AlsoFailed.ShouldBeEmpty();
    }
}
