namespace CodeLab.Exercises;

/// <summary>A question for the interview and what a good answer covers.</summary>
public sealed record Question(string Ask, string GoodAnswer);
