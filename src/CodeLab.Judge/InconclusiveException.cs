namespace CodeLab.Verdicts;

/// <summary>
/// Thrown by a hidden test (or by the judge itself) whose measurement proved nothing about the submission: the grader
/// recognises this type's name, scores nothing for the attempt, grades again in fresh containers, and makes a second
/// inconclusive attempt an error. Only trusted code runs in the judge's process; service exercises' hidden tests use
/// this type, library exercises declare their own (their tests run beside candidate code, which cannot declare a
/// type in the CodeLab namespaces).
/// </summary>
public sealed class InconclusiveException(string message, Exception? inner = null) : Exception(message, inner);
