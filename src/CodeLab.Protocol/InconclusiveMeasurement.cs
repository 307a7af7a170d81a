namespace CodeLab.Protocol;

/// <summary>
/// How a hidden test says that its measurement proved nothing about the submission (the machine, not the code, set
/// the result: threads that never ran together, for one): it fails with an exception of this type, declared in the
/// hidden tests under this name. The grader then scores nothing for the attempt: it runs the stage again in fresh
/// containers, and a second inconclusive attempt makes the grade an error. The name is unforgeable by the candidate:
/// the policy refuses candidate types in the CodeLab namespaces, candidate code is compiled before the tests and
/// cannot name their types, and the runner reports the exception's own type.
/// </summary>
public static class InconclusiveMeasurement
{
    public const string ExceptionType = "CodeLab.Verdicts.InconclusiveException";
}
