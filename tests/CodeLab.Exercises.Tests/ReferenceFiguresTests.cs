namespace CodeLab.Exercises.Tests;

/// <summary>
/// What the reference measured is kept per level and check, to sit beside a candidate's figure in a report. The
/// figures come from repeated grades, so they must summarise them honestly and never attach to the wrong check.
/// </summary>
public sealed class ReferenceFiguresTests
{
    static IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyList<(string, string)>>> Grades(string level, params (string, string)[][] repeats) =>
        new Dictionary<string, IReadOnlyList<IReadOnlyList<(string, string)>>> { [level] = repeats };

    [Fact]
    public void Numeric_figures_keep_the_median_of_the_repeats()
    {
        var figures = ReferenceFigures.From(Grades("senior",
            [("p90 answer time (ms)", "509")], [("p90 answer time (ms)", "1076")], [("p90 answer time (ms)", "530")]));
        figures.For("senior", "p90 answer time (ms)").ShouldBe("530");
        figures.For("mid", "p90 answer time (ms)").ShouldBeNull();
        figures.For("senior", "another check").ShouldBeNull();
    }

    [Fact]
    public void A_text_figure_is_kept_only_when_every_repeat_agreed()
    {
        var figures = ReferenceFigures.From(Grades("mid",
            [("status", "201"), ("body", "same")], [("status", "201"), ("body", "different")]));
        figures.For("mid", "status").ShouldBe("201");
        figures.For("mid", "body").ShouldBeNull();
    }

    [Fact]
    public void Counts_in_a_name_do_not_split_one_check_but_two_checks_sharing_a_key_are_dropped()
    {
        var figures = ReferenceFigures.From(Grades("senior",
            [("answers other than 200 (of 17)", "0"), ("charges (of 3)", "1"), ("charges (of 4)", "2")],
            [("answers other than 200 (of 16)", "0"), ("charges (of 3)", "1"), ("charges (of 4)", "2")]));
        figures.For("senior", "answers other than 200 (of 20)").ShouldBe("0");
        figures.For("senior", "charges (of 3)").ShouldBeNull();
    }

    [Fact]
    public void Saved_figures_load_back_and_a_newer_calibration_replaces_only_its_levels()
    {
        var folder = Directory.CreateTempSubdirectory("codelab-figures").FullName;
        try
        {
            ReferenceFigures.From(new Dictionary<string, IReadOnlyList<IReadOnlyList<(string, string)>>>
            {
                ["junior"] = [[("a", "1")]],
                ["mid"] = [[("b", "2")]],
            }).Save(folder, "2026-12-02 (2 CPUs)");
            var newer = ReferenceFigures.From(Grades("mid", [("b", "3")]));
            ReferenceFigures.Load(folder).With(newer).Save(folder, "2026-12-03 (2 CPUs)");

            var loaded = ReferenceFigures.Load(folder);
            loaded.For("junior", "a").ShouldBe("1");
            loaded.For("mid", "b").ShouldBe("3");
            ReferenceFigures.Load(Path.Combine(folder, "missing")).For("junior", "a").ShouldBeNull();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_broken_figures_file_is_refused_with_its_path_and_what_to_do()
    {
        var folder = Directory.CreateTempSubdirectory("codelab-figures").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, ReferenceFigures.FileName), "{ not json");
            var error = Should.Throw<ExerciseException>(() => ReferenceFigures.Load(folder));
            error.Message.ShouldContain(ReferenceFigures.FileName);
            error.Message.ShouldContain("calibrate --save");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
