using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CodeLab.Exercises;

/// <summary>One test method as the grader knows it before anything runs.</summary>
/// <param name="Id">"Namespace.Class.Method" (nested classes joined with '+'), as xUnit names it.</param>
public sealed record TestInfo(string Id, string ClassName, string Method, string Description, string Suite, string Level, string Criterion, string File);

/// <summary>A test source file with the level its tests apply from (null: no tests, a helper compiled at every level).</summary>
public sealed record TestFile(string Suite, string RelativePath, string FullPath, string? Level, IReadOnlyList<TestInfo> Tests)
{
    public bool AppliesTo(string level) => Level is null || Levels.Rank(Level) <= Levels.Rank(level);
}

/// <summary>
/// The public and hidden tests of an exercise, read from their syntax (attributes Fact/Theory, Trait and
/// DisplayName) and checked against the exercise: every test has a level and a criterion that exist, every
/// criterion of every level is fed by a test, and a file holds tests of one level only.
/// </summary>
public sealed class TestIndex
{
    public const string Public = "public";
    public const string Hidden = "hidden";

    TestIndex(IReadOnlyList<TestFile> files) => Files = files;

    public IReadOnlyList<TestFile> Files { get; }

    public IEnumerable<TestInfo> All => Files.SelectMany(f => f.Tests);

    /// <summary>Files to compile when grading at a level: helpers and every file whose tests apply (not load scripts).</summary>
    public IEnumerable<TestFile> FilesFor(string level) => Files.Where(f => f.AppliesTo(level) && f.Suite != LoadCheck.Suite);

    /// <summary>The load scenarios a grade at this level runs: those of its level and the levels below.</summary>
    public static IReadOnlyList<LoadCheck> LoadFor(Exercise exercise, string level) =>
        exercise.LevelsUpTo(level).SelectMany(l => l.Load).ToList();

    /// <summary>The tests a grade at this level runs and scores.</summary>
    public IReadOnlyList<TestInfo> TestsFor(string level) => Files.Where(f => f.AppliesTo(level)).SelectMany(f => f.Tests).ToList();

    internal static TestIndex Read(Exercise exercise)
    {
        var files = new List<TestFile>();
        foreach (var (suite, folder) in new[] { (Public, exercise.PublicTestsFolder), (Hidden, exercise.HiddenTestsFolder) })
        {
            if (!Directory.Exists(folder)) continue;
            foreach (var path in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                files.Add(ReadFile(exercise, suite, folder, path));
        }
        // Load scenarios are scored like tests of their level (and the levels above); they are not compiled with the tests.
        foreach (var level in exercise.Levels)
            foreach (var load in level.Load)
                files.Add(new TestFile(LoadCheck.Suite, $"{load.Scenario}.csx", load.ScriptPath, level.Id,
                    [new TestInfo(load.TestId, "load", load.Scenario, $"Under load ({load.Scenario}): {string.Join(", ", load.Thresholds.Select(LoadCheck.Label))}",
                        LoadCheck.Suite, level.Id, load.Criterion, $"load/{load.Scenario}.csx")]));
        Check(exercise, files);
        return new TestIndex(files);
    }

    static TestFile ReadFile(Exercise exercise, string suite, string folder, string path)
    {
        var relative = Path.GetRelativePath(folder, path).Replace('\\', '/');
        var where = $"{exercise.Id}/tests/{suite}/{relative}";
        var root = CSharpSyntaxTree.ParseText(File.ReadAllText(path), path: path).GetCompilationUnitRoot();
        var tests = new List<TestInfo>();
        foreach (var method in root.DescendantNodes().OfType<MethodDeclarationSyntax>())
        {
            var fact = method.AttributeLists.SelectMany(l => l.Attributes).FirstOrDefault(a => NameIs(a, "Fact") || NameIs(a, "Theory"));
            if (fact is null) continue;
            var type = (TypeDeclarationSyntax)method.Parent!;
            var traits = Traits(type.AttributeLists);
            foreach (var (key, value) in Traits(method.AttributeLists)) traits[key] = value;
            var description = NamedString(fact, "DisplayName")
                ?? throw new ExerciseException($"{where}: test {method.Identifier.Text} needs DisplayName = \"...\" (reviewers read it instead of the code).");
            if (NamedString(fact, "Skip") is not null) throw new ExerciseException($"{where}: test {method.Identifier.Text} is skipped; an exercise's tests all run.");
            if (!traits.TryGetValue("level", out var level)) throw new ExerciseException($"{where}: test {method.Identifier.Text} has no [Trait(\"level\", ...)].");
            if (!traits.TryGetValue("criterion", out var criterion)) throw new ExerciseException($"{where}: test {method.Identifier.Text} has no [Trait(\"criterion\", ...)].");
            if (type.TypeParameterList is not null) throw new ExerciseException($"{where}: test class {type.Identifier.Text} is generic; test classes must not be.");
            var className = ClassName(type);
            tests.Add(new TestInfo(className + "." + method.Identifier.Text, className, method.Identifier.Text, description, suite, level, criterion, relative));
        }
        var levels = tests.Select(t => t.Level).Distinct().ToList();
        if (levels.Count > 1)
            throw new ExerciseException($"{where}: holds tests of levels {string.Join(" and ", levels)}; a file holds tests of one level (it is compiled only at levels its tests apply to).");
        return new TestFile(suite, relative, path, levels.SingleOrDefault(), tests);
    }

    static void Check(Exercise exercise, List<TestFile> files)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var test in files.SelectMany(f => f.Tests))
        {
            var where = $"{exercise.Id}/tests/{test.Suite}/{test.File}: test {test.Method}";
            if (!seen.Add(test.Id)) throw new ExerciseException($"{where}: another test is also named {test.Id}; public and hidden test classes need distinct names.");
            if (!Levels.IsKnown(test.Level)) throw new ExerciseException($"{where}: level '{test.Level}' is not one of {string.Join(", ", Levels.All)}.");
            if (exercise.Levels.All(l => l.Id != test.Level)) throw new ExerciseException($"{where}: level '{test.Level}' is not a level of this exercise.");
            foreach (var level in exercise.Levels.Where(l => Levels.Rank(l.Id) >= Levels.Rank(test.Level)))
                if (level.Criteria.All(c => c.Id != test.Criterion))
                    throw new ExerciseException($"{where}: criterion '{test.Criterion}' does not exist at level {level.Id} (criteria there: {string.Join(", ", level.Criteria.Select(c => c.Id))}).");
        }
        foreach (var level in exercise.Levels)
        {
            var applicable = files.Where(f => f.AppliesTo(level.Id)).SelectMany(f => f.Tests).ToList();
            foreach (var criterion in level.Criteria)
            {
                if (applicable.All(t => t.Criterion != criterion.Id))
                    throw new ExerciseException($"{exercise.Id}: no test feeds criterion '{criterion.Id}' at level {level.Id}; every criterion needs at least one test.");
                foreach (var method in criterion.TestSeverities.Keys)
                    if (!applicable.Any(t => t.Criterion == criterion.Id && t.Method == method))
                        throw new ExerciseException($"{exercise.Id}/exercise.json: level {level.Id}, criterion '{criterion.Id}' gives a severity to test '{method}', which is not one of its tests there: rename it in \"tests\" or remove it.");
            }
        }
    }

    static bool NameIs(AttributeSyntax attribute, string name)
    {
        var text = attribute.Name switch
        {
            QualifiedNameSyntax q => q.Right.Identifier.Text,
            AliasQualifiedNameSyntax a => a.Name.Identifier.Text,
            SimpleNameSyntax s => s.Identifier.Text,
            _ => attribute.Name.ToString(),
        };
        return text == name || text == name + "Attribute";
    }

    static Dictionary<string, string> Traits(SyntaxList<AttributeListSyntax> lists)
    {
        var traits = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var attribute in lists.SelectMany(l => l.Attributes).Where(a => NameIs(a, "Trait")))
        {
            var args = attribute.ArgumentList?.Arguments;
            if (args is { Count: 2 } && Literal(args.Value[0].Expression) is { } key && Literal(args.Value[1].Expression) is { } value)
                traits[key] = value;
        }
        return traits;
    }

    static string? NamedString(AttributeSyntax attribute, string name) =>
        attribute.ArgumentList?.Arguments
            .Where(a => a.NameEquals?.Name.Identifier.Text == name)
            .Select(a => Literal(a.Expression))
            .FirstOrDefault();

    static string? Literal(ExpressionSyntax expression) =>
        expression is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression) ? literal.Token.ValueText : null;

    /// <summary>Namespace.Outer+Inner, as Type.FullName (and so xUnit) spells it.</summary>
    static string ClassName(TypeDeclarationSyntax type)
    {
        var names = new Stack<string>();
        SyntaxNode? node = type;
        while (node is TypeDeclarationSyntax t)
        {
            names.Push(t.Identifier.Text);
            node = t.Parent;
        }
        var namespaces = new Stack<string>();
        for (; node is not null; node = node.Parent)
            if (node is BaseNamespaceDeclarationSyntax ns) namespaces.Push(ns.Name.ToString());
        var prefix = namespaces.Count > 0 ? string.Join('.', namespaces) + "." : "";
        return prefix + string.Join('+', names);
    }
}
