namespace CodeLab.Exercises.Tests;

/// <summary>questions.json: "buildsOn" names criteria of the exercise, never itself, and never goes round in a circle.</summary>
public sealed class GuidanceTests
{
    static string Questions(string buildsOnA, string buildsOnB, string buildsOnC) => $$"""
        {
          "criteria": {
            "a": { "consequence": "A breaks.", {{buildsOnA}} "questions": [ { "ask": "A?", "goodAnswer": "a." } ] },
            "b": { "consequence": "B breaks.", {{buildsOnB}} "questions": [ { "ask": "B?", "goodAnswer": "b." } ] },
            "c": { "consequence": "C breaks.", {{buildsOnC}} "questions": [ { "ask": "C?", "goodAnswer": "c." } ] }
          },
          "discussion": { "junior": [ { "ask": "J?", "goodAnswer": "j." } ], "mid": [ { "ask": "M?", "goodAnswer": "m." } ] }
        }
        """;

    [Fact]
    public void BuildsOn_is_read_per_criterion()
    {
        using var folder = new ExerciseFolder();
        folder.Write(ExerciseGuidance.FileName, Questions("", "\"buildsOn\": [\"a\"],", "\"buildsOn\": [\"b\", \"a\"],"));
        var guidance = folder.Load().Guidance;
        guidance.For("a").BuildsOn.ShouldBeEmpty();
        guidance.For("b").BuildsOn.ShouldBe(["a"]);
        guidance.For("c").BuildsOn.ShouldBe(["b", "a"]);
    }

    [Theory]
    [InlineData("", "\"buildsOn\": [\"z\"],", "", "criterion 'b': \"buildsOn\" names 'z', which is not a criterion of any level here")]
    [InlineData("", "\"buildsOn\": [\"b\"],", "", "criterion 'b': \"buildsOn\" names 'b', which is itself")]
    [InlineData("\"buildsOn\": [\"c\"],", "\"buildsOn\": [\"a\"],", "\"buildsOn\": [\"b\"],", "goes round in a circle (a -> c -> b -> a)")]
    public void BuildsOn_that_cannot_name_one_root_is_refused(string a, string b, string c, string message)
    {
        using var folder = new ExerciseFolder();
        folder.Write(ExerciseGuidance.FileName, Questions(a, b, c));
        Should.Throw<ExerciseException>(() => folder.Load().Guidance).Message.ShouldContain(message);
    }
}
