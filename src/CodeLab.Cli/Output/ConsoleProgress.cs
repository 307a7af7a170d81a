using CodeLab.Grading;

namespace CodeLab.Cli.Output;

/// <summary>
/// Progress on stderr (stdout stays for results, so --json output is clean). On a terminal the latest message
/// replaces the previous one on a single line; in a log every stage line is kept and per-test ticks are left out.
/// </summary>
internal sealed class ConsoleProgress
{
    readonly bool live = !Console.IsErrorRedirected;
    readonly Lock gate = new();
    int shown;

    public void Report(Progress progress)
    {
        lock (gate)
        {
            if (live)
            {
                var visible = Reports.CandidateText.Visible(progress.Text); // the live line is ours to rewrite, nobody else's
                var text = visible.Length > 100 ? visible[..100] : visible;
                Console.Error.Write("\r" + text.PadRight(shown) + "\r");
                shown = text.Length;
                Console.Error.Write(text);
            }
            else if (!progress.IsTick)
            {
                Console.Error.WriteLine(Reports.CandidateText.Visible(progress.Text));
            }
        }
    }

    /// <summary>Clears the live line before results are printed.</summary>
    public void Done()
    {
        lock (gate)
        {
            if (!live || shown == 0) return;
            Console.Error.Write("\r" + new string(' ', shown) + "\r");
            shown = 0;
        }
    }
}
