using System.Diagnostics;
using CodeLab.Exercises;
using CodeLab.Reports;
using CodeLab.Sandbox;

namespace CodeLab.Grading;

/// <summary>
/// `codelab calibrate` and the calibration tests: grades every shipped solution of the chosen exercises and levels
/// the chosen number of times, <see cref="CalibrationOptions.Parallel"/> grades at a time, with one grading context
/// (a warm compiler) for all, and checks each grade against what its folder says and the repeats against each other.
/// Afterwards nothing this process created may be left in the engine.
/// </summary>
public sealed class Calibrator(GradingContext context)
{
    /// <summary>
    /// The targets, in catalog order (exercise, part, level, reference, alternatives, flawed). Checked before any
    /// engine is needed: an unknown exercise or level, or a count below 1, is bad input.
    /// </summary>
    public static IReadOnlyList<CalibrationTarget> Plan(ExerciseCatalog catalog, CalibrationOptions options)
    {
        if (options.Parallel < 1) throw new BadInputException($"--parallel must be at least 1 (not {options.Parallel}).");
        IEnumerable<Exercise> exercises = catalog.All;
        if (options.Exercise is { } id)
        {
            try { exercises = [catalog.Find(id)]; }
            catch (ExerciseException ex) { throw new BadInputException(ex.Message); }
        }
        var targets = new List<CalibrationTarget>();
        foreach (var exercise in exercises)
        {
            if (options.Level is { } wanted && exercise.AllLevels.All(l => l.Id != wanted))
                throw new BadInputException($"Exercise '{exercise.Id}' has no level '{wanted}': it has {string.Join(", ", exercise.AllLevels.Select(l => l.Id))}.");
            foreach (var part in exercise.Parts)
            {
                var solutions = Solution.ReadAll(part);
                foreach (var level in part.Levels.Where(l => options.Level is null || l.Id == options.Level))
                    foreach (var solution in solutions.Where(s => s.Levels.Contains(level.Id) && (options.Solution is null || s.Name == options.Solution) && (!options.CorrectOnly || s.Kind != SolutionKind.Flawed)))
                    {
                        var repeats = options.Repeats(solution.Kind);
                        if (repeats < 1) throw new BadInputException($"--repeat must be at least 1 (not {repeats}).");
                        targets.Add(new CalibrationTarget(part, level, solution, repeats));
                    }
            }
        }
        if (targets.Count == 0 && options.Solution is { } name)
            throw new BadInputException($"No solution named '{name}' at the levels asked for: name the reference ('reference'), an alternative or a flawed solution by its folder name.");
        return targets;
    }

    /// <summary>
    /// Starts grading: <see cref="CalibrationSession.Row"/> completes as soon as a target's repeats are graded,
    /// <see cref="CalibrationSession.Completion"/> when all are and the engine has been checked for leftovers.
    /// </summary>
    public CalibrationSession Start(CalibrationOptions options, Action<CalibrationGrade, int, int> onGrade, Action<Progress> progress, CancellationToken cancellationToken) =>
        new(context, Plan(context.Catalog, options), options, onGrade, progress, cancellationToken);

    public Task<CalibrationRun> RunAsync(CalibrationOptions options, Action<CalibrationGrade, int, int> onGrade, Action<Progress> progress, CancellationToken cancellationToken) =>
        Start(options, onGrade, progress, cancellationToken).Completion;
}
