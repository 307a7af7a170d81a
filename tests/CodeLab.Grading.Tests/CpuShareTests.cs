namespace CodeLab.Grading.Tests;

/// <summary>Whose CPU a lagging load generator lost: the candidate's containers, the judge's own demand, or the rest of the machine.</summary>
public sealed class CpuShareTests
{
    static CpuSample At(double seconds, double busy, double candidate, double judge, string candidateId = "app") =>
        new(TimeSpan.FromSeconds(seconds), 2, busy, new Dictionary<string, double> { [candidateId] = candidate }, new Dictionary<string, double> { ["judge"] = judge });

    [Fact]
    public void Cores_are_the_cpu_seconds_of_the_window_divided_by_its_length()
    {
        var share = CpuShare.Between(At(10, 100, 5, 3), At(20, 115, 12, 6));

        share.Seconds.ShouldBe(10);
        share.CandidateCores.ShouldBe(0.7);
        share.JudgeCores.ShouldBe(0.3);
        share.OutsideCores.ShouldBe(0.5);
    }

    [Fact]
    public void A_service_that_burned_the_machine_while_the_generator_lagged_is_the_largest_consumer()
    {
        CpuShare.Between(At(0, 0, 0, 0), At(10, 19, 14, 3)).CandidateWasLargest.ShouldBeTrue();
    }

    [Fact]
    public void A_generator_that_lagged_on_its_own_demand_or_a_busy_machine_is_not_the_candidates_doing()
    {
        // An impossible rate: the judge itself used the machine.
        CpuShare.Between(At(0, 0, 0, 0), At(10, 20, 5, 13)).CandidateWasLargest.ShouldBeFalse();
        // Other grades and programs used the machine.
        CpuShare.Between(At(0, 0, 0, 0), At(10, 20, 4, 4)).CandidateWasLargest.ShouldBeFalse();
    }

    [Fact]
    public void A_tie_goes_to_the_candidate()
    {
        CpuShare.Between(At(0, 0, 0, 0), At(10, 15, 5, 5)).CandidateWasLargest.ShouldBeTrue();
    }

    [Fact]
    public void A_replica_restarted_during_the_window_counts_from_zero()
    {
        var share = CpuShare.Between(At(0, 0, 8, 0, "app-old"), At(10, 10, 3, 2, "app-new"));

        share.CandidateCores.ShouldBe(0.3);
        share.OutsideCores.ShouldBe(0.5);
    }

    [Fact]
    public void The_meter_reads_nothing_where_the_hosts_accounting_is_not_there()
    {
        var empty = Directory.CreateTempSubdirectory("codelab-cgroup-").FullName;
        try
        {
            new CpuMeter(empty, Path.Combine(empty, "stat")).Sample(["a"], ["b"]).ShouldBeNull();
        }
        finally
        {
            Directory.Delete(empty, true);
        }
    }

    [Fact]
    public void The_meter_reads_cgroup_v1_and_v2_accounting_and_the_machines_busy_time()
    {
        var root = Directory.CreateTempSubdirectory("codelab-cgroup-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "cpuacct", "docker", "app"));
            File.WriteAllText(Path.Combine(root, "cpuacct", "docker", "app", "cpuacct.usage"), "2500000000\n");
            Directory.CreateDirectory(Path.Combine(root, "system.slice", "docker-judge.scope"));
            File.WriteAllText(Path.Combine(root, "system.slice", "docker-judge.scope", "cpu.stat"), "usage_usec 1500000\nuser_usec 1000000\n");
            File.WriteAllText(Path.Combine(root, "stat"), "cpu  100 0 50 900 10 0 25 0 0 0\ncpu0 50 0 25 450 5 0 12 0 0 0\ncpu1 50 0 25 450 5 0 13 0 0 0\n");

            var sample = new CpuMeter(root, Path.Combine(root, "stat")).Sample(["app", "gone"], ["judge"])!;

            sample.Cores.ShouldBe(2);
            sample.MachineBusySeconds.ShouldBe(1.75);
            sample.CandidateSeconds.ShouldBe(new Dictionary<string, double> { ["app"] = 2.5 });
            sample.JudgeSeconds["judge"].ShouldBe(1.5);
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }
}
