namespace CodeLab.Load;

/// <summary>Handed to every call of a scenario.</summary>
public sealed class ScenarioContext
{
    internal ScenarioContext(string scenarioName, long invocationNumber, int copyNumber, bool isWarmUp, CancellationToken cancellationToken)
    {
        ScenarioName = scenarioName;
        InvocationNumber = invocationNumber;
        CopyNumber = copyNumber;
        IsWarmUp = isWarmUp;
        CancellationToken = cancellationToken;
    }

    public string ScenarioName { get; }

    /// <summary>1 for the first call of the run (warm-up and measurement are numbered separately).</summary>
    public long InvocationNumber { get; internal set; }

    /// <summary>The copy that makes this call in a closed model (0-based); -1 for open-model arrivals and bursts.</summary>
    public int CopyNumber { get; }

    public bool IsWarmUp { get; }

    /// <summary>Cancelled when the run is cancelled or in-flight calls outlive the drain time at the end.</summary>
    public CancellationToken CancellationToken { get; }
}
