namespace CodeLab.Reports;

/// <summary>A kind of line the service logged (level, category, first line of the message) and how often.</summary>
public sealed record LogEntryReport(string Level, string Category, string Message, int Count);
