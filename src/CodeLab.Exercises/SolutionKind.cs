namespace CodeLab.Exercises;

public enum SolutionKind { Reference, Alternative, Flawed }
