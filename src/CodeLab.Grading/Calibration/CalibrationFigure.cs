using System.Diagnostics;
using CodeLab.Exercises;
using CodeLab.Reports;
using CodeLab.Sandbox;

namespace CodeLab.Grading;

/// <summary>
/// A timing-sensitive figure a report carries, over a target's repeats, beside its threshold: a load threshold's
/// actual value (p99, failed %), or a check whose expectation is a bound ("&lt; 1000").
/// </summary>
public sealed record CalibrationFigure(CalibrationTarget Target, string Name, string Threshold, IReadOnlyList<double> Values);
