namespace CodeLab.Load.Stats;

/// <summary>
/// A fact a scenario's own trusted observers counted after the run (for instance charges a fake payment provider
/// accepted), with what it should have been. Latency and status codes say how fast a service answered; checks say
/// whether what it did was right.
/// </summary>
public sealed record ScenarioCheck(string Name, string Expected, string Actual, bool Passed);
