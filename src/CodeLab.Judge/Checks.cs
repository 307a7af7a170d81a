using System.Globalization;

namespace CodeLab.Judge;

/// <summary>
/// Facts a hidden test measured, for the reviewer: "charges for one key after 20 simultaneous requests: expected 1,
/// actual 3". They appear in the report beside the test results (report.json "checks"); the test's own assertion
/// still decides the score.
/// </summary>
public static class Checks
{
    static Action<string, string, string, bool>? sink;

    /// <summary>Called by the sandbox runner: where checks go.</summary>
    public static void Connect(Action<string, string, string, bool> report) => sink = report;

    /// <summary>Records a check; passed defaults to expected and actual being equal. Returns whether it passed.</summary>
    public static bool Record(string name, object expected, object actual, bool? passed = null)
    {
        var (e, a) = (Format(expected), Format(actual));
        var ok = passed ?? e == a;
        sink?.Invoke(name, e, a, ok);
        return ok;
    }

    static string Format(object value) => value switch
    {
        bool b => b ? "yes" : "no",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "null",
    };
}
