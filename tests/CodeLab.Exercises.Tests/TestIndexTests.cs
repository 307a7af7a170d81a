namespace CodeLab.Exercises.Tests;

public sealed class TestIndexTests
{
    [Fact]
    public void Tests_are_read_with_their_traits_descriptions_and_xunit_names()
    {
        using var folder = new ExerciseFolder();
        var tests = folder.Load().Tests.All.ToList();
        tests.Count.ShouldBe(4);
        var one = tests.Single(t => t.Method == "One");
        one.Id.ShouldBe("Demo.Tests.PublicTests.One");
        one.Description.ShouldBe("One works");
        one.Suite.ShouldBe("public");
        one.Level.ShouldBe("junior");
        one.Criterion.ShouldBe("a");
    }

    [Fact]
    public void A_level_runs_its_own_tests_and_those_below_plus_every_helper()
    {
        using var folder = new ExerciseFolder();
        var index = folder.Load().Tests;
        index.TestsFor("junior").Select(t => t.Method).ShouldBe(["One", "Two", "Three"], ignoreOrder: true);
        index.TestsFor("mid").Count.ShouldBe(4);
        index.FilesFor("junior").ShouldContain(f => f.RelativePath == "Helpers.cs");
        index.FilesFor("junior").ShouldNotContain(f => f.RelativePath == "MidTests.cs");
    }

    [Fact]
    public void Nested_classes_and_block_namespaces_are_named_as_xunit_names_them()
    {
        using var folder = new ExerciseFolder();
        folder.Write("tests/hidden/Nested.cs", """
            using Xunit;
            namespace Outer { namespace Inner {
              public class Host { [Trait("level", "junior")] public class Case {
                [Fact(DisplayName = "nested")] [Trait("criterion", "a")] public void Works() { } } } } }
            """);
        folder.Load().Tests.All.ShouldContain(t => t.Id == "Outer.Inner.Host+Case.Works");
    }

    [Theory]
    [InlineData("[Fact] [Trait(\"level\", \"junior\")] [Trait(\"criterion\", \"a\")] public void M() { }", "needs DisplayName")]
    [InlineData("[Fact(DisplayName = \"d\")] [Trait(\"criterion\", \"a\")] public void M() { }", "has no [Trait(\"level\", ...)]")]
    [InlineData("[Fact(DisplayName = \"d\")] [Trait(\"level\", \"junior\")] public void M() { }", "has no [Trait(\"criterion\", ...)]")]
    [InlineData("[Fact(DisplayName = \"d\")] [Trait(\"level\", \"junior\")] [Trait(\"criterion\", \"zzz\")] public void M() { }", "criterion 'zzz' does not exist at level junior")]
    [InlineData("[Fact(DisplayName = \"d\")] [Trait(\"level\", \"senior\")] [Trait(\"criterion\", \"a\")] public void M() { }", "level 'senior' is not a level of this exercise")]
    [InlineData("[Fact(DisplayName = \"d\", Skip = \"later\")] [Trait(\"level\", \"junior\")] [Trait(\"criterion\", \"a\")] public void M() { }", "is skipped")]
    public void Broken_test_metadata_is_refused_with_the_file_and_test(string method, string expected)
    {
        using var folder = new ExerciseFolder();
        folder.Write("tests/hidden/Broken.cs", $"using Xunit;\nnamespace Demo.Tests;\npublic class Broken {{ {method} }}");
        var error = Should.Throw<ExerciseException>(() => folder.Load().Tests);
        error.Message.ShouldContain("demo/tests/hidden/Broken.cs");
        error.Message.ShouldContain(expected);
    }

    [Fact]
    public void A_file_mixing_levels_is_refused()
    {
        using var folder = new ExerciseFolder();
        folder.Write("tests/hidden/Mixed.cs", """
            using Xunit;
            namespace Demo.Tests;
            public class Mixed {
              [Fact(DisplayName = "j")] [Trait("level", "junior")] [Trait("criterion", "a")] public void J() { }
              [Fact(DisplayName = "m")] [Trait("level", "mid")] [Trait("criterion", "c")] public void M() { }
            }
            """);
        Should.Throw<ExerciseException>(() => folder.Load().Tests).Message.ShouldContain("holds tests of levels junior and mid");
    }

    [Fact]
    public void Every_criterion_needs_a_test_at_every_level()
    {
        using var folder = new ExerciseFolder();
        folder.Delete("tests/hidden/MidTests.cs");
        Should.Throw<ExerciseException>(() => folder.Load().Tests).Message.ShouldContain("no test feeds criterion 'c' at level mid");
    }

    [Fact]
    public void Duplicate_test_names_are_refused()
    {
        using var folder = new ExerciseFolder();
        folder.Write("tests/hidden/Again.cs", ExerciseFolder.TestClass("Demo.Tests", "HiddenTests", "junior", ("Three", "a")));
        Should.Throw<ExerciseException>(() => folder.Load().Tests).Message.ShouldContain("another test is also named Demo.Tests.HiddenTests.Three");
    }
}
