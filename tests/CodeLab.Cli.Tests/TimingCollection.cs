namespace CodeLab.Cli.Tests;

/// <summary>
/// Tests that measure rates and spacing against the wall clock run alone, after the others: beside CPU-heavy tests
/// (other CLI processes, Docker grades) the generator's thread starts late and a rate within 1 % fails for the
/// machine's sake, not the engine's.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "timing (runs alone)";
}
