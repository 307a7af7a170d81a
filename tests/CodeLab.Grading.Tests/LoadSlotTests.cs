namespace CodeLab.Grading.Tests;

/// <summary>Two grades' load runs never overlap in one grading process: the second waits for the first's lease.</summary>
public sealed class LoadSlotTests
{
    [Fact]
    public async Task A_second_load_run_waits_until_the_first_gives_the_slot_back()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = await LoadSlot.AcquireAsync(ct);
        var second = LoadSlot.AcquireAsync(ct);
        await Task.Delay(300, ct);
        second.IsCompleted.ShouldBeFalse("a second load run started while the first still held the slot");

        first.Dispose();
        // Another test of this assembly may take the slot in between; it gives it back after its own run.
        (await second.WaitAsync(TimeSpan.FromSeconds(60), ct)).Dispose();
    }

    [Fact]
    public async Task Giving_a_lease_back_twice_frees_the_slot_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = await LoadSlot.AcquireAsync(ct);
        first.Dispose();
        var second = await LoadSlot.AcquireAsync(ct).WaitAsync(TimeSpan.FromSeconds(60), ct);
        first.Dispose();
        var third = LoadSlot.AcquireAsync(ct);
        await Task.Delay(300, ct);
        third.IsCompleted.ShouldBeFalse("the first lease, given back twice, let a third run in beside the second");
        second.Dispose();
        (await third.WaitAsync(TimeSpan.FromSeconds(60), ct)).Dispose();
    }
}
