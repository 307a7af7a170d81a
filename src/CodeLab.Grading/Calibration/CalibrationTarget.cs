using System.Diagnostics;
using CodeLab.Exercises;
using CodeLab.Reports;
using CodeLab.Sandbox;

namespace CodeLab.Grading;

/// <summary>One shipped solution at one level, graded <see cref="Repeats"/> times.</summary>
public sealed record CalibrationTarget(Exercise Exercise, ExerciseLevel Level, Solution Solution, int Repeats)
{
    public string Name => $"{Exercise.Id} {Level.Id} {Solution.Name}";
}
