using System.Globalization;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using CodeLab.Load.Stats;

namespace CodeLab.Load;

/// <summary>
/// A predicate over a scenario's stats, evaluated at the end: <c>Threshold.Create(s => s.Ok.Latency.P99Ms &lt; 50)</c>.
/// When the predicate is one comparison, its left side is evaluated too, so the result says what was measured.
/// </summary>
public sealed partial class Threshold
{
    readonly Func<ScenarioStats, bool> predicate;
    readonly Func<ScenarioStats, double>? actual;
    readonly string? requirement;
    readonly string subject;

    Threshold(string expression, Func<ScenarioStats, bool> predicate, Func<ScenarioStats, double>? actual, string? requirement)
    {
        Expression = expression;
        this.predicate = predicate;
        this.actual = actual;
        this.requirement = requirement;
        // "Ok.Latency.P99Ms < 50" with requirement "< 50": the subject is what stands before the operator.
        var cut = requirement is null ? -1 : expression.LastIndexOf(requirement.Split(' ')[0], StringComparison.Ordinal);
        subject = cut > 0 ? expression[..cut].Trim() : expression;
    }

    /// <summary>As written, without the lambda's parameter: "Ok.Latency.P99Ms &lt; 50".</summary>
    public string Expression { get; }

    public static Threshold Create(Expression<Func<ScenarioStats, bool>> predicate, [CallerArgumentExpression(nameof(predicate))] string? text = null)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var parameter = predicate.Parameters[0].Name ?? "";
        var expression = Clean(text ?? predicate.Body.ToString(), parameter);
        Func<ScenarioStats, double>? actual = null;
        string? requirement = null;
        if (Unwrap(predicate.Body) is BinaryExpression { } comparison && Operator(comparison.NodeType) is { } op)
        {
            actual = System.Linq.Expressions.Expression.Lambda<Func<ScenarioStats, double>>(
                System.Linq.Expressions.Expression.Convert(comparison.Left, typeof(double)), predicate.Parameters).Compile();
            requirement = $"{op} {Clean(Unwrap(comparison.Right).ToString(), parameter)}";
        }
        return new Threshold(expression, predicate.Compile(), actual, requirement);
    }

    /// <summary>For thresholds compiled elsewhere (exercise files): the text, the predicate and, when known, the measured side.</summary>
    public static Threshold Create(string expression, Func<ScenarioStats, bool> predicate, Func<ScenarioStats, double>? actual = null, string? requirement = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(expression);
        ArgumentNullException.ThrowIfNull(predicate);
        return new Threshold(expression.Trim(), predicate, actual, requirement);
    }

    public ThresholdResult Evaluate(ScenarioStats stats)
    {
        bool passed;
        double? value = null;
        try
        {
            passed = predicate(stats);
            if (actual is not null) value = actual(stats);
        }
        catch (Exception ex)
        {
            return new ThresholdResult(Expression, null, false, $"{Expression}: could not be evaluated ({ex.GetType().Name}: {ex.Message})");
        }
        var message = (value, requirement) switch
        {
            ({ } v, { } r) => $"{subject} = {Format(v)} ({(passed ? "" : "needs ")}{r})",
            _ => $"{Expression}: {(passed ? "holds" : "does not hold")}",
        };
        return new ThresholdResult(Expression, value, passed, message);
    }

    static string Format(double value) => value.ToString(Math.Abs(value) >= 100 ? "0.#" : "0.###", CultureInfo.InvariantCulture);

    static Expression Unwrap(Expression e) => e is UnaryExpression { NodeType: ExpressionType.Convert } u ? Unwrap(u.Operand) : e;

    static string? Operator(ExpressionType type) => type switch
    {
        ExpressionType.LessThan => "<",
        ExpressionType.LessThanOrEqual => "<=",
        ExpressionType.GreaterThan => ">",
        ExpressionType.GreaterThanOrEqual => ">=",
        ExpressionType.Equal => "==",
        ExpressionType.NotEqual => "!=",
        _ => null,
    };

    static string Clean(string text, string parameter)
    {
        text = LambdaHead().Replace(text, "");
        if (parameter.Length > 0) text = Regex.Replace(text, $@"\b{Regex.Escape(parameter)}\.", "");
        return text.Trim();
    }

    [GeneratedRegex(@"^\s*\(?\s*\w*\s*\)?\s*=>\s*")]
    private static partial Regex LambdaHead();
}
