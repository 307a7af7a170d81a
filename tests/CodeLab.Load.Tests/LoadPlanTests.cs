using CodeLab.Load.Execution;

namespace CodeLab.Load.Tests;

/// <summary>The schedule on its own: when each call is due, with no clock and no calls.</summary>
public sealed class LoadPlanTests
{
    static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public void Inject_spreads_arrivals_evenly_from_the_phase_start()
    {
        var phase = (OpenPhase)LoadPlan.For([Simulation.Inject(20, Second, Second)]).Phases.Single();

        phase.Count.ShouldBe(20);
        Enumerable.Range(0, 20).Select(k => Math.Round(phase.ArrivalSeconds(k), 9)).ShouldBe(Enumerable.Range(0, 20).Select(k => k * 0.05).Select(t => Math.Round(t, 9)));
    }

    [Fact]
    public void Rate_per_interval_is_converted_to_per_second()
    {
        var plan = LoadPlan.For([Simulation.Inject(30, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20))]);

        plan.ScheduledArrivals.ShouldBe(60);
        plan.TargetRate.ShouldBe(3);
    }

    [Fact]
    public void Fractional_arrivals_carry_over_to_the_next_open_phase()
    {
        var plan = LoadPlan.For([Simulation.Inject(2.5, Second, Second), Simulation.Inject(2.5, Second, Second), Simulation.Inject(2.5, Second, Second)]);
        var counts = plan.Phases.Cast<OpenPhase>().Select(p => p.Count).ToArray();

        counts.ShouldBe([3, 2, 3]);
        plan.ScheduledArrivals.ShouldBe(8); // 7.5 scheduled: the 8th arrival falls in the last phase
        var second = (OpenPhase)plan.Phases[1];
        second.ArrivalSeconds(0).ShouldBe(0.2, 1e-9, "the first arrival of the second phase is 0.5 of an arrival (0.2 s) in");
    }

    [Fact]
    public void Ramping_inject_starts_from_the_previous_open_rate_and_spreads_by_the_area()
    {
        var plan = LoadPlan.For([Simulation.RampingInject(100, Second, TimeSpan.FromSeconds(2)), Simulation.Inject(100, Second, Second),
            Simulation.RampingInject(0, Second, Second)]);
        var ramp = (OpenPhase)plan.Phases[0];
        var down = (OpenPhase)plan.Phases[2];

        ramp.FromRate.ShouldBe(0);
        ramp.Count.ShouldBe(100);
        Enumerable.Range(0, 100).Count(k => ramp.ArrivalSeconds(k) < 1).ShouldBe(25, "a linear ramp from 0 covers a quarter of its area in its first half");
        down.FromRate.ShouldBe(100);
        down.Count.ShouldBe(50);
        Enumerable.Range(1, 49).All(k => down.ArrivalSeconds(k) > down.ArrivalSeconds(k - 1)).ShouldBeTrue();
        down.ArrivalSeconds(49).ShouldBeLessThanOrEqualTo(1);
        plan.TargetRate.ShouldBe(250 / 4.0);
    }

    [Fact]
    public void Pause_resets_what_carries_over_and_counts_in_the_planned_time()
    {
        var plan = LoadPlan.For([Simulation.Inject(50, Second, Second), Simulation.Pause(Second), Simulation.RampingInject(50, Second, Second)]);

        ((OpenPhase)plan.Phases[2]).FromRate.ShouldBe(0);
        plan.ScheduledArrivals.ShouldBe(75);
        plan.PlannedSeconds.ShouldBe(3);
    }

    [Fact]
    public void Closed_phases_set_no_target_rate_and_ramps_start_from_the_previous_copies()
    {
        var plan = LoadPlan.For([Simulation.KeepConstant(4, Second), Simulation.RampingConstant(8, TimeSpan.FromSeconds(2)), Simulation.IterationsForConstant(2, 100)]);
        var ramp = (ClosedPhase)plan.Phases[1];

        plan.HasClosedPhase.ShouldBeTrue();
        plan.TargetRate.ShouldBeNull();
        ramp.CopiesAt(0).ShouldBe(4);
        ramp.CopiesAt(0.5).ShouldBe(6);
        ramp.CopiesAt(1).ShouldBe(8);
        ((ClosedPhase)plan.Phases[2]).Iterations.ShouldBe(100);
    }

    [Fact]
    public void Bursts_count_as_scheduled_arrivals_without_planned_time()
    {
        var plan = LoadPlan.For([Simulation.Burst(30)]);

        plan.ScheduledArrivals.ShouldBe(30);
        plan.PlannedSeconds.ShouldBe(0);
        plan.TargetRate.ShouldBeNull();
    }

    [Fact]
    public void Warm_up_is_the_plan_cut_at_its_duration_with_a_ramp_stopped_where_it_would_be()
    {
        var plan = LoadPlan.For([Simulation.Burst(5), Simulation.RampingInject(100, Second, TimeSpan.FromSeconds(4)), Simulation.Inject(100, Second, Second)]);

        var warmUp = plan.WarmUp(Second);

        var ramp = (OpenPhase)warmUp.Phases.Single();
        ramp.Seconds.ShouldBe(1);
        ramp.ToRate.ShouldBe(25);
        ramp.Count.ShouldBe(13); // the area of 0 -> 25 per second over 1 s is 12.5
        warmUp.WarmUp(TimeSpan.FromSeconds(10)).Phases.Count.ShouldBe(1);
    }
}
