namespace CodeLab.Reports;

/// <summary>A line of the candidate's code cited beside a finding: <see cref="Code"/> is candidate text; <see cref="Note"/> is ours.</summary>
public sealed record CodeCitation(string File, int Line, string Code, string Note);
