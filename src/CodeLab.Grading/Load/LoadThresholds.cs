using System.Collections.Concurrent;
using CodeLab.Exercises;
using CodeLab.Load.Stats;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace CodeLab.Grading;

/// <summary>
/// Evaluates threshold expressions from exercise.json ("All.Latency.P99Ms &lt; 250") over a scenario's stats with the
/// C# scripting API, the stats being the script's globals. When the expression is one comparison its left side is
/// evaluated too, so the report says "All.Latency.P99Ms = 71 (needs &lt; 50)". Each expression compiles once.
/// </summary>
public static class LoadThresholds
{
    static readonly ConcurrentDictionary<string, ScriptRunner<bool>> Predicates = new(StringComparer.Ordinal);
    static readonly ConcurrentDictionary<string, ScriptRunner<double>?> Subjects = new(StringComparer.Ordinal);

    static readonly ScriptOptions Options = ScriptOptions.Default
        .WithReferences(typeof(ScenarioStats).Assembly)
        .WithImports("System", "System.Linq");

    public static async Task<ThresholdResult> EvaluateAsync(string expression, ScenarioStats stats)
    {
        try
        {
            var passed = await Predicates.GetOrAdd(expression, e => CSharpScript.Create<bool>(e, Options, typeof(ScenarioStats)).CreateDelegate())(stats);
            var (subject, requirement) = Split(expression);
            double? actual = null;
            if (subject is not null && Subjects.GetOrAdd(subject, s => CSharpScript.Create<double>($"(double)({s})", Options, typeof(ScenarioStats)).CreateDelegate()) is { } read)
                actual = await read(stats);
            var message = actual is { } v && requirement is not null
                ? $"{LoadCheck.Label(subject!)} = {Format(v)} ({(passed ? "" : "needs ")}{requirement})"
                : $"{expression}: {(passed ? "holds" : "does not hold")}";
            return new ThresholdResult(expression, actual, passed, message);
        }
        catch (CompilationErrorException ex)
        {
            return new ThresholdResult(expression, null, false, $"{expression}: not a valid threshold ({ex.Diagnostics.FirstOrDefault()})");
        }
        catch (Exception ex)
        {
            return new ThresholdResult(expression, null, false, $"{expression}: could not be evaluated ({ex.GetType().Name}: {ex.Message})");
        }
    }

    /// <summary>"A.B &lt; 5" into ("A.B", "&lt; 5"); (null, null) when the expression is not a single comparison.</summary>
    static (string? Subject, string? Requirement) Split(string expression)
    {
        if (SyntaxFactory.ParseExpression(expression) is BinaryExpressionSyntax binary &&
            binary.Kind() is SyntaxKind.LessThanExpression or SyntaxKind.LessThanOrEqualExpression or SyntaxKind.GreaterThanExpression
                or SyntaxKind.GreaterThanOrEqualExpression or SyntaxKind.EqualsExpression or SyntaxKind.NotEqualsExpression)
            return (binary.Left.ToString().Trim(), $"{binary.OperatorToken.Text} {binary.Right.ToString().Trim()}");
        return (null, null);
    }

    static string Format(double value) => value.ToString(Math.Abs(value) >= 100 ? "0.#" : "0.###", System.Globalization.CultureInfo.InvariantCulture);
}
