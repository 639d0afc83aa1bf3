using Jobwright.Storage;
using Jobwright.Storage.Conformance;
using Microsoft.Extensions.Time.Testing;

namespace Jobwright.Sqlite.Tests;

/// <summary>A submit tells whether its target was free in its own write, or which job held it, so that its answer needs no read of the holders.</summary>
public sealed class SubmitTargetSeenFreeTests
{
    [Fact]
    public async Task A_submit_sees_its_target_free_or_the_claim_or_active_job_that_holds_it()
    {
        using var directory = new TempDirectory();
        await using var store = new SqliteJobStore(new SqliteStoreOptions { Path = directory.File("jobs.db") }, new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56)), new JobChangeFeed());
        await store.InitializeAsync(CancellationToken.None);

        var first = await store.SubmitAsync(StoreFixture.Job("lpar-1"), CancellationToken.None);
        Assert.True(first.TargetSeenFree);
        Assert.False((await store.SubmitAsync(StoreFixture.Job(), CancellationToken.None)).TargetSeenFree);

        // Claimed (held in the store's memory), then started (held by its row): either way the next one sees it held.
        var claim = Assert.Single(await store.ClaimAsync(StoreFixture.Node, 1, CancellationToken.None));
        var behindClaim = await store.SubmitAsync(StoreFixture.Job("lpar-1"), CancellationToken.None);
        Assert.False(behindClaim.TargetSeenFree);
        Assert.Equal((first.Job.JobId, StoreFixture.Node), (behindClaim.TargetHolder!.JobId, behindClaim.TargetHolder.Node));
        Assert.True(await store.StartAsync(first.Job.JobId, claim.Attempt, CancellationToken.None));
        var behindRunning = await store.SubmitAsync(StoreFixture.Job("lpar-1"), CancellationToken.None);
        Assert.False(behindRunning.TargetSeenFree);
        Assert.Equal((first.Job.JobId, Jobwright.Status.JobStatus.Running), (behindRunning.TargetHolder!.JobId, behindRunning.TargetHolder.Status));
        Assert.True((await store.SubmitAsync(StoreFixture.Job("lpar-2"), CancellationToken.None)).TargetSeenFree);
    }
}
