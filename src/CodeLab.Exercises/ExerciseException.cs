namespace CodeLab.Exercises;

/// <summary>An exercise folder or a request about exercises is wrong; the message names the file and the problem.</summary>
public sealed class ExerciseException(string message) : Exception(message);
