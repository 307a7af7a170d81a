using System.Globalization;

namespace CodeLab.Grading;

/// <summary>
/// Who used the machine's CPU over a window (in cores, averaged): the candidate's containers, the judge, and
/// everything outside this grade (other grades, other programs). It decides whose fault a load generator that fell
/// behind is: when the candidate's own containers were the largest consumer, they starved the generator (a service
/// that burns CPU to make its load run look inconclusive is charged for it); otherwise the judge's own demand or the
/// rest of the machine set the pace, and the run says nothing about the service.
/// </summary>
public sealed record CpuShare(double Seconds, int Cores, double CandidateCores, double JudgeCores, double OutsideCores)
{
    /// <summary>Ties go to the candidate: an inconclusive grade must never be something a submission can arrange.</summary>
    public bool CandidateWasLargest => CandidateCores >= JudgeCores && CandidateCores >= OutsideCores;

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"over {Seconds:0.#} s the service's containers used {CandidateCores:0.00} cores, the judge {JudgeCores:0.00}, everything outside this grade {OutsideCores:0.00}, of {Cores}");

    /// <summary>The share between two samples; a container that appeared in between counts from zero, one that vanished is left out.</summary>
    public static CpuShare Between(CpuSample from, CpuSample to)
    {
        var seconds = Math.Max((to.At - from.At).TotalSeconds, 1e-3);
        double Used(IReadOnlyDictionary<string, double> before, IReadOnlyDictionary<string, double> after) =>
            after.Sum(kv => Math.Max(0, kv.Value - before.GetValueOrDefault(kv.Key)));
        var candidate = Used(from.CandidateSeconds, to.CandidateSeconds);
        var judge = Used(from.JudgeSeconds, to.JudgeSeconds);
        var busy = Math.Max(0, to.MachineBusySeconds - from.MachineBusySeconds);
        var outside = Math.Max(0, busy - candidate - judge);
        return new CpuShare(Math.Round(seconds, 3), to.Cores, Math.Round(candidate / seconds, 3), Math.Round(judge / seconds, 3), Math.Round(outside / seconds, 3));
    }
}
