namespace CodeLab.Reports;

/// <summary>The log levels a report keeps: an unhandled exception (the process or a request died), critical, error, warning.</summary>
public static class LogLevels
{
    public const string Unhandled = "unhandled";
    public const string Critical = "critical";
    public const string Error = "error";
    public const string Warning = "warning";
}
