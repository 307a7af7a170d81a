using System.Diagnostics;
using CodeLab.Reports;

namespace CodeLab.Grading;

/// <summary>One row of the demo table.</summary>
public sealed record DemoRow(string Exercise, string Level, string Solution, string Kind, string Verdict, double Score, double Seconds, string Expected, string? Problem);
