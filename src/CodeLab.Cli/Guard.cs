using CodeLab.Exercises;
using CodeLab.Grading;
using CodeLab.Reports;

namespace CodeLab.Cli;

/// <summary>
/// Turns the library's exceptions into one clear line on stderr and the right exit code. A message may name a
/// candidate's file or quote their text, so it is printed with every control character made visible: one line,
/// and nothing in it can move the cursor or rewrite what the terminal shows.
/// </summary>
internal static class Guard
{
    public static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception ex) when (ex is BadInputException or ExerciseException)
        {
            Console.Error.WriteLine($"codelab: {CandidateText.Visible(ex.Message)}");
            return ExitCodes.BadInput;
        }
        catch (InfrastructureException ex)
        {
            Console.Error.WriteLine($"codelab: {CandidateText.Visible(ex.Message)}");
            return ExitCodes.Infrastructure;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("codelab: cancelled.");
            return ExitCodes.Cancelled;
        }
    }
}
