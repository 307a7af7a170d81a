using System.Diagnostics;
using CodeLab.Exercises;
using CodeLab.Reports;
using CodeLab.Sandbox;

namespace CodeLab.Grading;

/// <summary>One grade of a target: its report (null when grading threw), seconds, and what is wrong with it, if anything.</summary>
public sealed record CalibrationGrade(CalibrationTarget Target, int Attempt, GradeReport? Report, double Seconds, string? Problem)
{
    /// <summary>What must be equal between repeats: verdict, score per criterion, status of every test that did not pass.</summary>
    public string Fingerprint => Report is null ? $"no report ({Problem})" : Calibration.Fingerprint(Report);
}
