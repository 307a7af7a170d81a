namespace CodeLab.Exercises;

/// <summary>One criterion's guidance: what its failure costs, per test where a test's differs, and what to ask.</summary>
public sealed record CriterionGuidance(string Consequence, IReadOnlyList<Question> Questions, IReadOnlyDictionary<string, string> TestConsequences)
{
    /// <summary>What the report can cite from the candidate's code: "redis" (each Redis call and its expiry), "locks" (locks, atomics, concurrent collections).</summary>
    public static readonly IReadOnlyList<string> CodeKinds = ["redis", "locks"];

    /// <summary>Which of <see cref="CodeKinds"/> a failure of this criterion cites, file:line, beside the claim.</summary>
    public IReadOnlyList<string> Cite { get; init; } = [];

    /// <summary>
    /// Criteria whose promise this one's tests presuppose (questions.json "buildsOn"): when one of them fails too, a
    /// failure here is most likely the same cause seen again, and the report shows it under that criterion's finding.
    /// </summary>
    public IReadOnlyList<string> BuildsOn { get; init; } = [];

    public string ConsequenceOf(string method) => TestConsequences.GetValueOrDefault(method, Consequence);
}
