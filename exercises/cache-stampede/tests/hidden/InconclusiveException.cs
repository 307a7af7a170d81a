namespace CodeLab.Verdicts;

/// <summary>
/// Thrown by a hidden test whose measurement proved nothing about the submission (see ParallelCallers): the grader
/// recognises this type's name, scores nothing for the attempt, grades again in fresh containers, and makes a second
/// inconclusive attempt an error. Candidate code cannot declare a type in the CodeLab namespaces (the policy refuses
/// it), nor name this one (it is compiled before the tests).
/// </summary>
public sealed class InconclusiveException(string message) : Exception(message);
