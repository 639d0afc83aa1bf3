using Jobwright.Storage;

namespace Jobwright.Storage.Conformance;

/// <summary>
/// A claim held for the next submit (<see cref="IJobStore.ClaimWithNextSubmitAsync"/>): made in the submit's own
/// transaction and finding its job, made alone once told to, or dropped when canceled first.
/// </summary>
public abstract partial class JobStoreConformanceTests
{
    [Fact]
    public async Task A_held_claim_is_made_with_the_next_submit_and_finds_its_job()
    {
        await using var f = await NewFixtureAsync();
        var never = new TaskCompletionSource();
        var held = f.Store.ClaimWithNextSubmitAsync(StoreFixture.Node, 10, never.Task, None);

        // Nothing but the submit can have made the claim: the task that would send it alone never completes.
        var id = await f.SubmitAsync();
        var claimed = await held.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([id], claimed.Select(c => c.Job.JobId));
        Assert.False(never.Task.IsCompleted);
        Assert.Empty(await f.Store.ClaimAsync(StoreFixture.Node, 10, None));
    }

    [Fact]
    public async Task A_held_claim_is_made_alone_once_its_task_completes()
    {
        await using var f = await NewFixtureAsync();
        var id = await f.SubmitAsync();
        var alone = new TaskCompletionSource();
        var held = f.Store.ClaimWithNextSubmitAsync(StoreFixture.Node, 10, alone.Task, None);

        alone.SetResult();
        Assert.Equal([id], (await held.WaitAsync(TimeSpan.FromSeconds(30))).Select(c => c.Job.JobId));
    }

    [Fact]
    public async Task A_held_claim_canceled_before_it_is_made_claims_nothing_and_the_next_submit_is_claimable()
    {
        await using var f = await NewFixtureAsync();
        using var cancel = new CancellationTokenSource();
        var held = f.Store.ClaimWithNextSubmitAsync(StoreFixture.Node, 10, new TaskCompletionSource().Task, cancel.Token);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => held.WaitAsync(TimeSpan.FromSeconds(30)));
        var id = await f.SubmitAsync();
        Assert.Equal([id], (await f.Store.ClaimAsync(StoreFixture.Node, 10, None)).Select(c => c.Job.JobId));
    }
}
