using System.Text.Json;
using System.Text.Json.Nodes;
using Jobwright.Model;
using Jobwright.Status;
using Jobwright.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Jobwright.Storage.Conformance;

/// <summary>Removing ended jobs: delete and purge.</summary>
public abstract partial class JobStoreConformanceTests
{
    [Fact]
    public async Task Only_a_terminal_job_can_be_deleted()
    {
        await using var f = await NewFixtureAsync();
        var running = await f.SubmitAsync(StoreFixture.Job("t"));
        await f.StartAsync(running);
        var queued = await f.SubmitAsync();
        Assert.Equal(DeleteOutcome.NotTerminal, await f.Store.DeleteAsync(queued, None));
        Assert.Equal(DeleteOutcome.NotTerminal, await f.Store.DeleteAsync(running, None));
        await f.Store.CancelAsync(queued, "x", None);
        Assert.Equal(DeleteOutcome.Deleted, await f.Store.DeleteAsync(queued, None));
    }

    [Fact]
    public async Task Purge_removes_only_jobs_that_ended_before_the_cutoff_with_their_history()
    {
        await using var f = await NewFixtureAsync();
        var old = await f.SubmitAsync();
        var running = await f.SubmitAsync(StoreFixture.Job("busy"));
        await f.Store.CancelAsync(old, "x", None);
        await f.StartAsync(running);
        f.Time.Advance(TimeSpan.FromHours(2));
        var recent = await f.SubmitAsync();
        await f.Store.CancelAsync(recent, "x", None);
        var queued = await f.SubmitAsync();

        Assert.Equal(1, await f.Store.PurgeAsync(f.Time.GetUtcNow().AddHours(-1), 100, None));
        Assert.Null(await f.Store.GetAsync(old, true, None));
        Assert.Equal(JobStatus.Running, (await f.GetAsync(running)).Status);
        Assert.Equal(JobStatus.CanceledBeforeStart, (await f.GetAsync(recent)).Status);
        Assert.Equal(JobStatus.NotStarted, (await f.GetAsync(queued)).Status);
        Assert.Equal(0, await f.Store.PurgeAsync(f.Time.GetUtcNow().AddHours(-1), 100, None));
    }

    [Fact]
    public async Task Purge_takes_at_most_the_limit_at_a_time()
    {
        await using var f = await NewFixtureAsync();
        for (var i = 0; i < 5; i++)
        {
            await f.Store.CancelAsync(await f.SubmitAsync(), "x", None);
        }

        f.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(3, await f.Store.PurgeAsync(f.Time.GetUtcNow(), 3, None));
        Assert.Equal(2, await f.Store.PurgeAsync(f.Time.GetUtcNow(), 3, None));
        Assert.Empty((await f.Store.ListAsync(new JobQuery(), None)).Jobs);
    }
}
