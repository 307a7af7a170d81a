namespace CodeLab.Grading;

/// <summary>The request is wrong (unknown exercise or level, missing folder, oversized file...): exit code 2.</summary>
public sealed class BadInputException(string message) : Exception(message);
