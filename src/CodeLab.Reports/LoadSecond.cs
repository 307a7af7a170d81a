namespace CodeLab.Reports;

/// <summary>One second of a load run: calls answered ok and failed, latency percentiles from the intended start.</summary>
public sealed record LoadSecond(int Second, long Ok, long Fail, double P50Ms, double P99Ms, double MaxMs);
