using System.Security.Cryptography;
using CodeLab.Exercises;
using CodeLab.Sandbox;
using CodeLab.Sandbox.Engine;

namespace CodeLab.Grading;

/// <summary>
/// Where a judge run sits: on the grade's private network, answering to the fakes' host names, told where the
/// candidate's service is, and which health URLs must answer before the first test. <paramref name="Control"/>
/// carries out the judge's requests to act on the world ("restart-service 1", "stop-redis").
/// </summary>
public sealed record JudgePlacement(
    string Network,
    IReadOnlyList<string> Aliases,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<string> WaitFor,
    int ReadyTimeoutMs,
    Func<string, CancellationToken, Task>? Control = null)
{
    /// <summary>Load scenarios the judge runs after the tests.</summary>
    public IReadOnlyList<CompiledLoad> Load { get; init; } = [];

    /// <summary>The ids of the containers candidate code drives (service replicas, Redis), now: whose CPU counts as the candidate's.</summary>
    public Func<IReadOnlyList<string>> CandidateContainers { get; init; } = () => [];

    /// <summary>Reads the host's CPU accounting while load scenarios run (see <see cref="LoadOutcome"/>).</summary>
    public CpuMeter Meter { get; init; } = new();
}
