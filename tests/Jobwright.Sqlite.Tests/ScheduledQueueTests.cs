using Jobwright.Storage;
using Jobwright.Storage.Conformance;
using Microsoft.Extensions.Time.Testing;

namespace Jobwright.Sqlite.Tests;

/// <summary>
/// Jobs with a start time wait in an index of their own (migration 011): thousands of them not yet due hide
/// no later job from a claim, and once due they are claimed first, earliest due first.
/// </summary>
public sealed class ScheduledQueueTests : IAsyncLifetime
{
    private const int Scheduled = 6_000;
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero));
    private SqliteJobStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteJobStore(new SqliteStoreOptions { Path = _directory.File("jobs.db") }, _time, new JobChangeFeed());
        await _store.InitializeAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task More_jobs_scheduled_ahead_than_a_claim_looks_past_hide_no_later_job_and_start_first_once_due()
    {
        // More than a claim ever looked past (5,000), all due in an hour, in submit order.
        var later = _time.GetUtcNow().AddHours(1);
        var scheduled = await Task.WhenAll(Enumerable.Range(0, Scheduled).Select(i =>
            _store.SubmitAsync(StoreFixture.Job() with { NotBefore = later.AddMilliseconds(Scheduled - i) }, CancellationToken.None)));
        var now = (await _store.SubmitAsync(StoreFixture.Job(), CancellationToken.None)).Job.JobId;

        var claimed = Assert.Single(await _store.ClaimAsync(StoreFixture.Node, 10, CancellationToken.None));
        Assert.Equal(now, claimed.Job.JobId);
        Assert.Empty(await _store.ClaimAsync(StoreFixture.Node, 10, CancellationToken.None));

        // Once due they come first, the earliest due first (here: the last submitted), ahead of a job without a time
        // (a claim answers its jobs in id order).
        var after = (await _store.SubmitAsync(StoreFixture.Job(), CancellationToken.None)).Job.JobId;
        _time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMilliseconds(2));
        var due = await _store.ClaimAsync(StoreFixture.Node, 2, CancellationToken.None);
        Assert.Equal([scheduled[^2].Job.JobId, scheduled[^1].Job.JobId], due.Select(c => c.Job.JobId));
        Assert.DoesNotContain(after, due.Select(c => c.Job.JobId));
    }
}
