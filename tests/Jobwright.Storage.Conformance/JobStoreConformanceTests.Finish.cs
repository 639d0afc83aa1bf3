using System.Text.Json;
using System.Text.Json.Nodes;
using Jobwright.Model;
using Jobwright.Status;
using Jobwright.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Jobwright.Storage.Conformance;

/// <summary>Ending jobs: finishes, the transition table, stale attempts, progress, and recovery of a dead node.</summary>
public abstract partial class JobStoreConformanceTests
{
    [Fact]
    public async Task Finish_records_the_terminal_status_its_results_and_the_transition()
    {
        await using var f = await NewFixtureAsync();
        var id = await f.SubmitAsync();
        var claim = await f.StartAsync(id);
        var snapshot = new JobSnapshot(
            new JobProgress([new TaskRecord("Validate", JobTaskStatus.Ok, f.Time.GetUtcNow(), f.Time.GetUtcNow()), new TaskRecord("Move", JobTaskStatus.Failed, null, f.Time.GetUtcNow(), "vscsi2 busy")], null, 1.0),
            new Dictionary<string, string> { ["returnCode"] = "1" },
            [new JobMessage(MessageSeverity.Warning, "W1", "check the mappings")]);
        f.Time.Advance(TimeSpan.FromSeconds(3));
        var result = await f.Store.FinishAsync(id, claim.Attempt, new JobFinish { Status = JobStatus.CompletedWithWarnings, Snapshot = snapshot, Reason = "failed tasks: Move" }, None);
        Assert.True(result.Applied);
        var job = await f.GetAsync(id);
        Assert.Equal(JobStatus.CompletedWithWarnings, job.Status);
        Assert.Equal(f.Time.GetUtcNow(), job.TimeCompleted);
        Assert.Equal(["Validate", "Move"], job.Progress.CompletedTasks.Select(t => t.Name));
        Assert.Equal(JobTaskStatus.Failed, job.Progress.CompletedTasks[1].Status);
        Assert.Equal("vscsi2 busy", job.Progress.CompletedTasks[1].Message);
        Assert.Equal("1", job.Results["returnCode"]);
        Assert.Equal("W1", Assert.Single(job.Messages).Code);
        var last = job.History![^1];
        Assert.Equal((JobStatus.Running, JobStatus.CompletedWithWarnings), (last.From!.Value, last.To));
        Assert.Equal("failed tasks: Move", last.Reason);
    }

    [Fact]
    public async Task An_end_without_a_reason_is_read_back_from_the_job()
    {
        await using var f = await NewFixtureAsync();
        var id = await f.SubmitAsync();
        var claim = await f.StartAsync(id);
        f.Time.Advance(TimeSpan.FromSeconds(2));
        var end = StoreFixture.Finish(JobStatus.CompletedOk) with { Reason = null };
        Assert.True((await f.Store.FinishAsync(id, claim.Attempt, end, None)).Applied);

        var job = await f.GetAsync(id);
        Assert.Equal([JobStatus.NotStarted, JobStatus.Running, JobStatus.CompletedOk], job.History!.Select(h => h.To));
        var last = job.History![^1];
        Assert.Equal(
            (JobStatus.Running, job.TimeCompleted, StoreFixture.Node, StoreFixture.Node, (string?)null),
            (last.From!.Value, (DateTimeOffset?)last.Time, last.Node, last.Actor, last.Reason));
        Assert.Equal(f.Time.GetUtcNow(), last.Time);
    }

    [Fact]
    public async Task A_terminal_job_never_changes_whatever_is_asked_of_it()
    {
        await using var f = await NewFixtureAsync();
        var id = await f.SubmitAsync();
        var claim = await f.StartAsync(id);
        Assert.True((await f.Store.FinishAsync(id, claim.Attempt, StoreFixture.Finish(JobStatus.CompletedOk), None)).Applied);
        var before = await f.GetAsync(id);

        var second = await f.Store.FinishAsync(id, claim.Attempt, StoreFixture.Finish(JobStatus.FailedBeforeCompletion), None);
        Assert.False(second.Applied);
        Assert.Equal(JobStatus.CompletedOk, second.Current!.Status);
        Assert.False(await f.Store.ReportProgressAsync(id, claim.Attempt, StoreFixture.Finish(JobStatus.CompletedOk).Snapshot, None));
        Assert.False(await f.Store.StartAsync(id, claim.Attempt, None));
        Assert.False(await f.Store.ReleaseAsync(id, claim.Attempt, None));
        Assert.Equal(CancelOutcome.AlreadyTerminal, (await f.Store.CancelAsync(id, "tester", None)).Outcome);
        Assert.Equal(0, (await f.Store.RecoverAsync(null, "interrupted", None)).FailedRunning);

        var after = await f.GetAsync(id);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.Status, after.Status);
        Assert.Equal(before.History!.Count, after.History!.Count);
    }

    [Fact]
    public async Task A_write_with_a_stale_attempt_is_refused()
    {
        await using var f = await NewFixtureAsync();
        var id = await f.SubmitAsync();
        var claim = await f.StartAsync(id);
        var stale = claim.Attempt + 1;
        Assert.False(await f.Store.ReportProgressAsync(id, stale, StoreFixture.Finish(JobStatus.CompletedOk).Snapshot, None));
        Assert.False((await f.Store.FinishAsync(id, stale, StoreFixture.Finish(JobStatus.CompletedOk), None)).Applied);
        Assert.Equal(JobStatus.Running, (await f.GetAsync(id)).Status);
    }

    [Fact]
    public async Task Starts_and_finishes_sent_together_are_each_decided_on_their_own()
    {
        // Sent at once, so that a store that groups writes decides them in one batch.
        await using var f = await NewFixtureAsync();
        var ids = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add(await f.SubmitAsync());
        }

        var claims = new List<ClaimedJob>();
        foreach (var id in ids)
        {
            claims.Add(await f.ClaimOneAsync(id));
        }

        // The last job is canceled before its start: its start is refused, the others are not.
        await f.Store.CancelAsync(ids[^1], "alice", None);
        var started = await Task.WhenAll(claims.Select((c, i) => f.Store.StartAsync(c.Job.JobId, i == 1 ? c.Attempt + 1 : c.Attempt, None)));
        Assert.Equal([true, false, true, true, true, false], started);

        var ends = new[] { JobStatus.CompletedOk, JobStatus.CompletedOk, JobStatus.CompletedWithError, JobStatus.CanceledWhileRunning, JobStatus.CompletedOk, JobStatus.CompletedOk };
        var finished = await Task.WhenAll(claims.Select((c, i) => f.Store.FinishAsync(c.Job.JobId, i == 4 ? c.Attempt + 1 : c.Attempt, StoreFixture.Finish(ends[i]), None)));
        Assert.Equal([true, false, true, true, false, false], finished.Select(r => r.Applied));
        Assert.Equal(JobStatus.NotStarted, finished[1].Current!.Status);
        Assert.Equal(JobStatus.Running, finished[4].Current!.Status);
        Assert.Equal(JobStatus.CanceledBeforeStart, finished[5].Current!.Status);

        var statuses = new List<JobStatus>();
        foreach (var id in ids)
        {
            statuses.Add((await f.GetAsync(id)).Status);
        }

        Assert.Equal([JobStatus.CompletedOk, JobStatus.NotStarted, JobStatus.CompletedWithError, JobStatus.CanceledWhileRunning, JobStatus.Running, JobStatus.CanceledBeforeStart], statuses);
        var third = await f.GetAsync(ids[2]);
        Assert.Equal([JobStatus.NotStarted, JobStatus.Running, JobStatus.CompletedWithError], third.History!.Select(h => h.To));
    }

    [Fact]
    public async Task An_illegal_transition_is_refused_by_the_store()
    {
        await using var f = await NewFixtureAsync();
        var id = await f.SubmitAsync();
        var claim = await f.ClaimOneAsync(id);
        // NOT_STARTED cannot become COMPLETED_OK without running.
        Assert.False((await f.Store.FinishAsync(id, claim.Attempt, StoreFixture.Finish(JobStatus.CompletedOk), None)).Applied);
        Assert.Equal(JobStatus.NotStarted, (await f.GetAsync(id)).Status);
        // FAILED_TO_START is legal from a claimed NOT_STARTED job.
        Assert.True((await f.Store.FinishAsync(id, claim.Attempt, StoreFixture.Finish(JobStatus.FailedToStart), None)).Applied);
        Assert.Equal(JobStatus.FailedToStart, (await f.GetAsync(id)).Status);
    }

    [Fact]
    public async Task Recovery_ends_RUNNING_jobs_FAILED_BEFORE_COMPLETION_and_returns_claimed_jobs_to_the_queue()
    {
        await using var f = await NewFixtureAsync();
        var running = await f.SubmitAsync(StoreFixture.Job("a"));
        var claimedOnly = await f.SubmitAsync(StoreFixture.Job("b"));
        var queued = await f.SubmitAsync(StoreFixture.Job("c") with { NotBefore = f.Time.GetUtcNow().AddHours(1) });
        await f.StartAsync(running);
        var claim = await f.ClaimOneAsync(claimedOnly);

        var result = await f.Store.RecoverAsync(null, "interrupted: node stopped", None);
        Assert.Equal(new RecoveryResult(1, 1), result);
        var failed = await f.GetAsync(running);
        Assert.Equal(JobStatus.FailedBeforeCompletion, failed.Status);
        Assert.StartsWith("interrupted: node stopped", failed.Error!.Message, StringComparison.Ordinal);
        var returned = await f.GetAsync(claimedOnly);
        Assert.Equal(JobStatus.NotStarted, returned.Status);
        Assert.Null(returned.Node);
        Assert.False(await f.Store.StartAsync(claimedOnly, claim.Attempt, None));
        Assert.Equal(JobStatus.NotStarted, (await f.GetAsync(queued)).Status);
        Assert.Contains(claimedOnly, (await f.Store.ClaimAsync(StoreFixture.Node, 10, None)).Select(c => c.Job.JobId));
    }

    [Fact]
    public async Task Recovery_of_one_node_leaves_the_jobs_of_other_nodes_alone()
    {
        await using var f = await NewFixtureAsync();
        var mine = await f.SubmitAsync(StoreFixture.Job("a"));
        var theirs = await f.SubmitAsync(StoreFixture.Job("b"));
        await f.StartAsync(mine);
        var other = Assert.Single(await f.Store.ClaimAsync("node-b", 10, None));
        Assert.True(await f.Store.StartAsync(theirs, other.Attempt, None));
        Assert.Equal(new RecoveryResult(1, 0), await f.Store.RecoverAsync(StoreFixture.Node, "lost", None));
        Assert.Equal(JobStatus.FailedBeforeCompletion, (await f.GetAsync(mine)).Status);
        Assert.Equal(JobStatus.Running, (await f.GetAsync(theirs)).Status);
    }

    [Fact]
    public async Task Progress_of_the_running_attempt_is_recorded_and_bumps_the_version()
    {
        await using var f = await NewFixtureAsync();
        var id = await f.SubmitAsync();
        var claim = await f.StartAsync(id);
        var before = (await f.GetAsync(id)).Version;
        var snapshot = new JobSnapshot(new JobProgress([], new CurrentTask("Copy", 40, f.Time.GetUtcNow()), 0.4), new Dictionary<string, string>(), []);
        Assert.True(await f.Store.ReportProgressAsync(id, claim.Attempt, snapshot, None));
        var job = await f.GetAsync(id);
        Assert.True(job.Version > before);
        Assert.Equal("Copy", job.Progress.CurrentTask!.Name);
        Assert.Equal(40, job.Progress.CurrentTask.Percent);
        Assert.Equal(0.4, job.Progress.Fraction);
    }
}
