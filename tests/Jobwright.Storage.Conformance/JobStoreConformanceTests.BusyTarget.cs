namespace Jobwright.Storage.Conformance;

/// <summary>Thousands of jobs waiting behind one busy target hide no job of another target from a claim.</summary>
public abstract partial class JobStoreConformanceTests
{
    // More than a claim ever looked past blocked jobs (5,000).
    private const int BehindOneTarget = 6_000;

    [Fact]
    public async Task More_jobs_behind_one_busy_target_than_a_claim_looks_past_hide_no_job_of_another_target()
    {
        await using var f = await NewFixtureAsync();
        var holder = await f.SubmitAsync(StoreFixture.Job("lpar-busy"));
        var claim = Assert.Single(await f.Store.ClaimAsync(StoreFixture.Node, 10, CancellationToken.None));
        Assert.True(await f.Store.StartAsync(holder, claim.Attempt, CancellationToken.None));

        // They wait for the target (no retry-later policy, a wait bound an hour away).
        foreach (var chunk in Enumerable.Range(0, BehindOneTarget).Chunk(500))
        {
            await Task.WhenAll(chunk.Select(_ => f.Store.SubmitAsync(StoreFixture.Job("lpar-busy") with { BusyMaxWait = TimeSpan.FromHours(1) }, CancellationToken.None)));
        }

        var other = await f.SubmitAsync(StoreFixture.Job("lpar-free"));
        var untargeted = await f.SubmitAsync(StoreFixture.Job());
        Assert.Equal([other, untargeted], (await f.Store.ClaimAsync(StoreFixture.Node, 10, CancellationToken.None)).Select(c => c.Job.JobId).Order());

        // The ones behind still wait, and still end as their policy says once the wait bound passes.
        Assert.Equal(BehindOneTarget, await f.Store.CountQueuedAheadAsync(long.MaxValue, 100_000, CancellationToken.None));
        f.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        Assert.Empty(await f.Store.ClaimAsync(StoreFixture.Node, 10, CancellationToken.None));
        Assert.True(await f.Store.CountQueuedAheadAsync(long.MaxValue, 100_000, CancellationToken.None) < BehindOneTarget);
    }
}
