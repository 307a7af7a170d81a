using CodeLab.Compilation.Policy;
using CodeLab.TestSupport;

namespace CodeLab.Exercises.Tests;

/// <summary>
/// One policy text: every statement and every workspace README states what the grader refuses exactly as
/// PolicyProfile refuses it (PolicyText renders it from the profile), and the rejection messages use the same words.
/// When the policy changes, this fails and prints the paragraph to paste into the statement.
/// </summary>
public sealed class PolicyTextTests
{
    static readonly ExerciseCatalog Catalog = ExerciseCatalog.Load(RepositoryPaths.Exercises);

    public static TheoryData<string, string> Levels()
    {
        var data = new TheoryData<string, string>();
        foreach (var exercise in Catalog.All)
            foreach (var level in exercise.AllLevels)
                data.Add(exercise.Id, level.Id);
        return data;
    }

    static string Expected(Exercise part) => PolicyText.GroundRule(part.Kind, part.Frameworks, part.Packages);

    [Theory]
    [MemberData(nameof(Levels))]
    public void The_statement_states_the_policy_as_the_profile_has_it(string exerciseId, string level)
    {
        var part = Catalog.Find(exerciseId).ForLevel(level);
        var statement = Statement.Compose(part, level).ReplaceLineEndings("\n");
        var expected = Expected(part);
        if (Occurrences(statement, expected) != 1)
        {
            // The paragraph to paste, byte for byte (a test log is no place to copy indentation from).
            var paste = Path.Combine(RepositoryPaths.Root, "artifacts", "policy-text", $"{exerciseId}-{level}.md");
            Directory.CreateDirectory(Path.GetDirectoryName(paste)!);
            File.WriteAllText(paste, expected);
            Occurrences(statement, expected).ShouldBe(1,
                $"The statement of {exerciseId} {level} ({Path.Combine(part.Folder, "statement")}) must state the policy once, exactly as " +
                $"src/CodeLab.Compilation/Policy renders it for this exercise: put {paste} in its ground rules, in place of any other list.");
        }
        // The old, shorter lists that drifted from the policy.
        statement.ShouldNotContain("are not allowed (the grader rejects them)");
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void The_workspace_readme_states_the_same_policy_once(string exerciseId, string level)
    {
        var part = Catalog.Find(exerciseId).ForLevel(level);
        var workspace = Path.Combine(Directory.CreateTempSubdirectory("codelab-policy-text").FullName, "ws");
        try
        {
            WorkspaceWriter.Write(part, level, workspace);
            var readme = File.ReadAllText(Path.Combine(workspace, "README.md")).ReplaceLineEndings("\n");
            Occurrences(readme, Expected(part)).ShouldBe(1);
            readme.ShouldNotContain("The sandbox refuses");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(workspace)!, recursive: true);
        }
    }

    [Fact]
    public void Every_rule_a_profile_applies_is_in_its_list_and_in_its_rejection_message()
    {
        foreach (var kind in (string[])["library", "service"])
        {
            var text = PolicyText.GroundRule(kind, ["Microsoft.AspNetCore.App"], ["StackExchange.Redis"]);
            var profile = PolicyProfile.For(kind, ["Microsoft.AspNetCore.App"], ["StackExchange.Redis"]);
            foreach (var rule in profile.Refuses.Where(r => r != PolicyRules.OutsideAllowList))
            {
                Words(text).ShouldContain("- " + rule.Refuses + " ");
                rule.Explanation.ShouldContain(rule.Refuses);
            }
        }
        PolicyText.GroundRule("library", ["Microsoft.AspNetCore.App"], []).ShouldNotContain("`HttpClient`", customMessage: "a library exercise refuses HttpClient");
        PolicyText.GroundRule("service", ["Microsoft.AspNetCore.App"], []).ShouldContain("`HttpClient`", customMessage: "a service exercise calls its provider with HttpClient");
    }

    [Fact]
    public void Every_rule_is_listed_in_the_order_candidates_read()
    {
        var declared = typeof(PolicyRules).GetFields().Where(f => f.FieldType == typeof(PolicyRule)).Select(f => (PolicyRule)f.GetValue(null)!).ToList();
        PolicyRules.All.ShouldBe(declared, ignoreOrder: true);
    }

    [Fact]
    public void The_text_says_that_only_the_candidates_own_calls_are_judged()
    {
        var text = PolicyText.GroundRule("service", ["Microsoft.AspNetCore.App"], ["StackExchange.Redis"]);
        text = Words(text);
        text.ShouldContain("Only your own calls are judged");
        foreach (var shape in (string[])["controllers with attribute routing", "`UseMiddleware<T>`", "options and configuration binding",
                     "`IHostedService`/`BackgroundService`", "typed `HttpClient`s", "`[GeneratedRegex]`", "`Stopwatch` and `Activity`"])
            text.ShouldContain(shape);
        text.ShouldContain("the .NET base library, ASP.NET Core, `HttpClient` and StackExchange.Redis");
    }

    /// <summary>The text with its line breaks and indentation as single spaces (the paragraph is wrapped).</summary>
    static string Words(string text) => string.Join(' ', text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries)) + " ";

    static int Occurrences(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
