using CodeLab.Exercises;
using CodeLab.Grading;

namespace CodeLab.Cli;

/// <summary>Turns the library's exceptions into one clear line on stderr and the right exit code.</summary>
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
            Console.Error.WriteLine($"codelab: {ex.Message}");
            return ExitCodes.BadInput;
        }
        catch (InfrastructureException ex)
        {
            Console.Error.WriteLine($"codelab: {ex.Message}");
            return ExitCodes.Infrastructure;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("codelab: cancelled.");
            return ExitCodes.Cancelled;
        }
    }
}
