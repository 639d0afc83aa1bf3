namespace Jobwright.Storage.Conformance;

/// <summary>
/// Jobs with a start time wait apart from the queue: thousands of them not yet due hide no later job from a claim,
/// and once due they are claimed first, earliest due first.
/// </summary>
public abstract partial class JobStoreConformanceTests
{
    // More than a claim ever looked past blocked jobs (5,000).
    private const int ScheduledAhead = 6_000;

    [Fact]
    public async Task More_jobs_scheduled_ahead_than_a_claim_looks_past_hide_no_later_job_and_start_first_once_due()
    {
        await using var f = await NewFixtureAsync();
        var later = f.Time.GetUtcNow().AddHours(1);
        var scheduled = new List<long>();
        foreach (var chunk in Enumerable.Range(0, ScheduledAhead).Chunk(500))
        {
            // Due in reverse submit order: the last submitted is due first.
            scheduled.AddRange((await Task.WhenAll(chunk.Select(i => f.Store.SubmitAsync(
                StoreFixture.Job() with { NotBefore = later.AddMilliseconds(ScheduledAhead - i) }, CancellationToken.None)))).Select(r => r.Job.JobId));
        }

        var now = await f.SubmitAsync(StoreFixture.Job());
        Assert.Equal([now], (await f.Store.ClaimAsync(StoreFixture.Node, 10, CancellationToken.None)).Select(c => c.Job.JobId));
        Assert.Empty(await f.Store.ClaimAsync(StoreFixture.Node, 10, CancellationToken.None));

        // Once due they come first, the earliest due first, ahead of a job without a time submitted after them.
        var after = await f.SubmitAsync(StoreFixture.Job());
        f.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMilliseconds(2));
        var due = (await f.Store.ClaimAsync(StoreFixture.Node, 2, CancellationToken.None)).Select(c => c.Job.JobId).Order().ToArray();
        Assert.Equal(scheduled.OrderByDescending(id => id).Take(2).Order(), due);
        Assert.DoesNotContain(after, due);
        // The queue bound counts both kinds of waiting jobs.
        Assert.Equal(ScheduledAhead - 2 + 1, await f.Store.CountQueuedAheadAsync(long.MaxValue, 100_000, CancellationToken.None));
    }
}
