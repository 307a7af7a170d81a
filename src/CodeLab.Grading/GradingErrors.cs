namespace CodeLab.Grading;

/// <summary>The request is wrong (unknown exercise or level, missing folder, oversized file...): exit code 2.</summary>
public sealed class BadInputException(string message) : Exception(message);

/// <summary>Something outside the submission is unavailable (engine down, image missing): exit code 3.</summary>
public sealed class InfrastructureException(string message, Exception? inner = null) : Exception(message, inner);
