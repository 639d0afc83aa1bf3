using Jobwright.Storage;
using Jobwright.Storage.Conformance;
using Microsoft.Extensions.Time.Testing;

namespace Jobwright.Sqlite.Tests;

/// <summary>A submit tells whether its target was free in its own write, so that its answer needs no read of the holders.</summary>
public sealed class SubmitTargetSeenFreeTests
{
    [Fact]
    public async Task A_submit_sees_its_target_free_until_a_claim_or_an_active_job_holds_it()
    {
        using var directory = new TempDirectory();
        await using var store = new SqliteJobStore(new SqliteStoreOptions { Path = directory.File("jobs.db") }, new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56)), new JobChangeFeed());
        await store.InitializeAsync(CancellationToken.None);

        var first = await store.SubmitAsync(StoreFixture.Job("lpar-1"), CancellationToken.None);
        Assert.True(first.TargetSeenFree);
        Assert.False((await store.SubmitAsync(StoreFixture.Job(), CancellationToken.None)).TargetSeenFree);

        // Claimed (held in the store's memory), then started (held by its row): either way the next one sees it held.
        var claim = Assert.Single(await store.ClaimAsync(StoreFixture.Node, 1, CancellationToken.None));
        Assert.False((await store.SubmitAsync(StoreFixture.Job("lpar-1"), CancellationToken.None)).TargetSeenFree);
        Assert.True(await store.StartAsync(first.Job.JobId, claim.Attempt, CancellationToken.None));
        Assert.False((await store.SubmitAsync(StoreFixture.Job("lpar-1"), CancellationToken.None)).TargetSeenFree);
        Assert.True((await store.SubmitAsync(StoreFixture.Job("lpar-2"), CancellationToken.None)).TargetSeenFree);
    }
}
