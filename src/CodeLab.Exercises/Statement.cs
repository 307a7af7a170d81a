using System.Text;

namespace CodeLab.Exercises;

/// <summary>The candidate-facing statement of a level: the overview, then the part of every level up to it.</summary>
public static class Statement
{
    public static string Compose(Exercise exercise, string level)
    {
        var chosen = exercise.Level(level);
        var text = new StringBuilder();
        text.AppendLine(File.ReadAllText(Path.Combine(exercise.Folder, "statement", "overview.md")).TrimEnd());
        foreach (var part in exercise.LevelsUpTo(chosen.Id))
        {
            text.AppendLine();
            text.AppendLine(File.ReadAllText(Path.Combine(exercise.Folder, "statement", part.Id + ".md")).TrimEnd());
        }
        return text.ToString();
    }
}
