using System.Text.Json;
using System.Text.Json.Nodes;
using Jobwright.Model;
using Jobwright.Status;
using Jobwright.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Jobwright.Storage.Conformance;

/// <summary>Canceling: before start, while running, and jobs that do not exist.</summary>
public abstract partial class JobStoreConformanceTests
{
    [Fact]
    public async Task Cancel_of_a_NOT_STARTED_job_ends_it_CANCELED_BEFORE_START_even_when_claimed_and_its_start_is_refused()
    {
        await using var f = await NewFixtureAsync();
        var id = await f.SubmitAsync();
        var claim = await f.ClaimOneAsync(id);
        var result = await f.Store.CancelAsync(id, "alice", None);
        Assert.Equal(CancelOutcome.CanceledBeforeStart, result.Outcome);
        Assert.Equal(JobStatus.CanceledBeforeStart, result.Job!.Status);
        Assert.True(result.Job.CancelRequested);
        Assert.False(await f.Store.StartAsync(id, claim.Attempt, None));
        var job = await f.GetAsync(id);
        Assert.Equal(JobStatus.CanceledBeforeStart, job.Status);
        Assert.Null(job.TimeStarted);
        Assert.Equal("alice", job.History![^1].Actor);
    }

    [Fact]
    public async Task Cancel_of_a_RUNNING_job_sets_cancelRequested_and_leaves_the_outcome_to_the_handler()
    {
        await using var f = await NewFixtureAsync();
        var id = await f.SubmitAsync();
        var claim = await f.StartAsync(id);
        var result = await f.Store.CancelAsync(id, "alice", None);
        Assert.Equal(CancelOutcome.Requested, result.Outcome);
        Assert.Equal(JobStatus.Running, result.Job!.Status);
        Assert.True(result.Job.CancelRequested);
        Assert.True((await f.Store.FinishAsync(id, claim.Attempt, StoreFixture.Finish(JobStatus.CanceledWhileRunning), None)).Applied);
        var job = await f.GetAsync(id);
        Assert.Equal(JobStatus.CanceledWhileRunning, job.Status);
        Assert.Equal("alice", job.History![^1].Actor);
    }

    [Fact]
    public async Task Cancel_and_delete_of_a_job_that_does_not_exist_say_so()
    {
        await using var f = await NewFixtureAsync();
        Assert.Equal(CancelOutcome.NotFound, (await f.Store.CancelAsync(404, "x", None)).Outcome);
        Assert.Equal(DeleteOutcome.NotFound, await f.Store.DeleteAsync(404, None));
        Assert.Null(await f.Store.GetAsync(404, true, None));
    }
}
