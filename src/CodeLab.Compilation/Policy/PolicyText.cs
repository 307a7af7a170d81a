using System.Text;

namespace CodeLab.Compilation.Policy;

/// <summary>
/// The policy as candidates read it: what their code may use, that only their own calls are judged, and the one list
/// of what is refused, worded as the rejection messages word it (<see cref="PolicyRule.Refuses"/>). Statements carry
/// this text verbatim (a test compares them), and the workspace README carries the statement.
/// </summary>
public static class PolicyText
{
    /// <summary>The ground rule for an exercise, as a Markdown bullet with a nested list.</summary>
    /// <param name="kind">"library" or "service".</param>
    /// <param name="frameworks">Shared frameworks beyond Microsoft.NETCore.App the exercise allows.</param>
    /// <param name="packages">Packages the exercise allows.</param>
    public static string GroundRule(string kind, IReadOnlyList<string> frameworks, IReadOnlyList<string> packages)
    {
        var profile = PolicyProfile.For(kind, frameworks, packages);
        bool Allows(string ns, string type) => profile.Judge(ns, type, null) is null;
        var aspNet = Allows("Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Builder.WebApplication");
        var http = Allows("System.Net.Http", "System.Net.Http.HttpClient");

        List<string> usable = ["the .NET base library"];
        if (aspNet) usable.Add("ASP.NET Core");
        if (http) usable.Add("`HttpClient`");
        usable.AddRange(packages);

        List<string> fine = [];
        if (aspNet) fine.AddRange(["controllers with attribute routing", "`UseMiddleware<T>`", "options and configuration binding", "`IHostedService`/`BackgroundService`"]);
        if (aspNet && http) fine.Add("typed `HttpClient`s");
        fine.Add("source generators (`[GeneratedRegex]`, `[JsonSerializable]`)");
        // Library exercises take time from the TimeProvider they are given, so Stopwatch is not offered there.
        fine.Add(kind == "service" ? "`System.Diagnostics`' `Stopwatch` and `Activity`" : "`System.Diagnostics`' `Activity` and `Debug`");

        var text = new StringBuilder();
        text.Append(Wrap("- ", "**What your code may use:** " + Join(usable) + ". Only your own calls are judged: the framework's own use of reflection "
                         + "is fine, so " + Join(fine) + " all pass. Not allowed in your own code (the grader rejects a submission that uses any of "
                         + "it before anything runs, naming the file and line):", "  "));
        foreach (var rule in profile.Refuses.Where(r => r != PolicyRules.OutsideAllowList))
            text.Append(Wrap("  - ", rule.Refuses, "    "));
        return text.ToString();
    }

    /// <summary><paramref name="prefix"/> and the words in lines of at most 116 characters where words allow, continued with <paramref name="continuation"/>.</summary>
    static string Wrap(string prefix, string words, string continuation)
    {
        var text = new StringBuilder();
        var line = new StringBuilder(prefix);
        var empty = true;
        foreach (var word in words.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!empty && line.Length + 1 + word.Length > 116)
            {
                text.Append(line).Append('\n');
                line.Clear().Append(continuation);
                empty = true;
            }
            if (!empty) line.Append(' ');
            line.Append(word);
            empty = false;
        }
        return text.Append(line).Append('\n').ToString();
    }

    static string Join(IReadOnlyList<string> items) =>
        items.Count == 1 ? items[0] : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1];
}
