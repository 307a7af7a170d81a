namespace CodeLab.Grading;

/// <summary>Something outside the submission is unavailable (engine down, image missing): exit code 3.</summary>
public sealed class InfrastructureException(string message, Exception? inner = null) : Exception(message, inner);
