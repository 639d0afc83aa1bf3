using System.Text.Json;
using System.Text.Json.Nodes;
using Jobwright.Model;
using Jobwright.Status;
using Jobwright.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Jobwright.Storage.Conformance;

/// <summary>
/// What every store must do, written once against <see cref="IJobStore"/>. A store's test project
/// derives from this class and says how to create a fresh, initialized store.
/// </summary>
public abstract class JobStoreConformanceTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>A fresh, empty, initialized store using <paramref name="time"/> as its clock.</summary>
    protected abstract Task<IJobStore> CreateStoreAsync(FakeTimeProvider time, JobChangeFeed changes);

    protected async Task<StoreFixture> NewFixtureAsync()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero));
        var changes = new JobChangeFeed();
        return new StoreFixture(await CreateStoreAsync(time, changes), time, changes);
    }

    [Fact]
    public async Task A_submitted_job_is_NOT_STARTED_and_reads_back_as_submitted()
    {
        await using var f = await NewFixtureAsync();
        var submitted = await f.Store.SubmitAsync(StoreFixture.Job("lpar-1") with { IdempotencyKey = "k1" }, None);
        Assert.True(submitted.Created);
        var job = await f.GetAsync(submitted.Job.JobId);
        Assert.Equal(JobStatus.NotStarted, job.Status);
        Assert.Equal("Simulate", job.Operation);
        Assert.Equal("Sample", job.Group);
        Assert.Equal("lpar-1", job.Target);
        Assert.Equal(10, job.Parameters["durationMs"]!.GetValue<int>());
        Assert.Equal("tester", job.Submitter);
        Assert.Equal("k1", job.IdempotencyKey);
        Assert.Equal(f.Time.GetUtcNow(), job.TimeSubmitted);
        Assert.Null(job.TimeStarted);
        Assert.False(job.CancelRequested);
        var first = Assert.Single(job.History!);
        Assert.Null(first.From);
        Assert.Equal(JobStatus.NotStarted, first.To);
        Assert.Equal("tester", first.Actor);
    }

    [Fact]
    public async Task A_second_submit_with_the_same_idempotency_key_returns_the_first_job()
    {
        await using var f = await NewFixtureAsync();
        var first = await f.Store.SubmitAsync(StoreFixture.Job() with { IdempotencyKey = "same" }, None);
        var second = await f.Store.SubmitAsync(StoreFixture.Job("other") with { IdempotencyKey = "same" }, None);
        Assert.False(second.Created);
        Assert.Equal(first.Job.JobId, second.Job.JobId);
        Assert.Null(second.Job.Target);
        Assert.Single((await f.Store.ListAsync(new JobQuery(), None)).Jobs);
    }

    [Fact]
    public async Task Job_ids_grow_and_are_never_reused_after_a_delete()
    {
        await using var f = await NewFixtureAsync();
        var first = await f.SubmitAsync();
        Assert.Equal(CancelOutcome.CanceledBeforeStart, (await f.Store.CancelAsync(first, "tester", None)).Outcome);
        Assert.Equal(DeleteOutcome.Deleted, await f.Store.DeleteAsync(first, None));
        var second = await f.SubmitAsync();
        Assert.True(second > first);
        Assert.Null(await f.Store.GetAsync(first, true, None));
    }

    [Fact]
    public async Task A_job_is_found_by_its_idempotency_key()
    {
        await using var f = await NewFixtureAsync();
        var id = await f.SubmitAsync(StoreFixture.Job() with { IdempotencyKey = "deploy-7" });
        await f.SubmitAsync(StoreFixture.Job() with { IdempotencyKey = "deploy-8" });
        Assert.Equal(id, (await f.Store.FindByIdempotencyKeyAsync("deploy-7", None))?.JobId);
        Assert.Null(await f.Store.FindByIdempotencyKeyAsync("deploy-9", None));
    }

    [Fact]
    public async Task Submits_sent_together_each_store_their_own_job()
    {
        await using var f = await NewFixtureAsync();
        var notBefore = f.Time.GetUtcNow().AddMinutes(5);
        var jobs = Enumerable.Range(0, 40).Select(i => StoreFixture.Job(i % 3 == 0 ? null : $"t-{i} ü") with
        {
            Parameters = new JsonObject { ["n"] = i, ["text"] = $"\"{i}\"\n" },
            Submitter = i % 2 == 0 ? null : $"user-{i}",
            NotBefore = i % 4 == 0 ? notBefore : null,
            OperationLimit = i % 5 == 0 ? 2 : null,
        }).ToArray();
        var results = await Task.WhenAll(jobs.Select(j => f.Store.SubmitAsync(j, None)));

        Assert.Equal(jobs.Length, results.Select(r => r.Job.JobId).Distinct().Count());
        for (var i = 0; i < jobs.Length; i++)
        {
            Assert.True(results[i].Created);
            var stored = await f.GetAsync(results[i].Job.JobId);
            Assert.Equal(JsonSerializer.Serialize(stored with { History = null }), JsonSerializer.Serialize(results[i].Job));
            Assert.Equal((jobs[i].Target, jobs[i].Submitter, jobs[i].NotBefore, i), (stored.Target, stored.Submitter, stored.NotBefore, stored.Parameters["n"]!.GetValue<int>()));
            Assert.Equal($"\"{i}\"\n", stored.Parameters["text"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Claim_takes_queued_jobs_in_submit_order_up_to_the_number_asked()
    {
        await using var f = await NewFixtureAsync();
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await f.SubmitAsync());
        }

        var claimed = await f.Store.ClaimAsync(StoreFixture.Node, 3, None);
        Assert.Equal(ids.Take(3), claimed.Select(c => c.Job.JobId));
        Assert.All(claimed, c => Assert.Equal(JobStatus.NotStarted, c.Job.Status));
        var rest = await f.Store.ClaimAsync(StoreFixture.Node, 10, None);
        Assert.Equal(ids.Skip(3), rest.Select(c => c.Job.JobId));
        Assert.Empty(await f.Store.ClaimAsync(StoreFixture.Node, 10, None));
    }

    [Fact]
    public async Task A_claim_hands_over_the_job_exactly_as_it_is_stored()
    {
        await using var f = await NewFixtureAsync();
        var job = StoreFixture.Job("lpar \"3\" ü") with
        {
            Parameters = new JsonObject { ["text"] = "line one\nline \"two\" – ünïcode \\ end", ["count"] = 9007199254740993, ["flag"] = true },
            IdempotencyKey = "key-ü",
        };
        var id = await f.SubmitAsync(job);
        var claim = Assert.Single(await f.Store.ClaimAsync(StoreFixture.Node, 1, None));
        var stored = await f.GetAsync(id);
        Assert.Equal(JsonSerializer.Serialize(stored with { History = null }), JsonSerializer.Serialize(claim.Job));
        Assert.Equal("line one\nline \"two\" – ünïcode \\ end", claim.Job.Parameters["text"]!.GetValue<string>());
        Assert.Equal(9007199254740993, claim.Job.Parameters["count"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_claimed_job_stays_NOT_STARTED_with_its_node_until_it_is_started()
    {
        await using var f = await NewFixtureAsync();
        var id = await f.SubmitAsync();
        var claim = await f.ClaimOneAsync(id);
        var claimed = await f.GetAsync(id);
        Assert.Equal(JobStatus.NotStarted, claimed.Status);
        Assert.Equal(StoreFixture.Node, claimed.Node);
        Assert.True(await f.Store.StartAsync(id, claim.Attempt, None));
        var running = await f.GetAsync(id);
        Assert.Equal(JobStatus.Running, running.Status);
        Assert.NotNull(running.TimeStarted);
        Assert.Equal([JobStatus.NotStarted, JobStatus.Running], running.History!.Select(h => h.To));
        var start = running.History![1];
        Assert.Equal((JobStatus.NotStarted, running.TimeStarted, StoreFixture.Node), (start.From!.Value, (DateTimeOffset?)start.Time, start.Node));
    }

    [Fact]
    public async Task Only_one_job_per_target_is_claimed_and_the_next_job_of_another_target_is_taken_instead()
    {
        await using var f = await NewFixtureAsync();
        var a1 = await f.SubmitAsync(StoreFixture.Job("a"));
        var a2 = await f.SubmitAsync(StoreFixture.Job("a"));
        var b1 = await f.SubmitAsync(StoreFixture.Job("b"));
        var claimed = await f.Store.ClaimAsync(StoreFixture.Node, 10, None);
        Assert.Equal([a1, b1], claimed.Select(c => c.Job.JobId));
        Assert.Equal(a1, (await f.Store.FindTargetHoldersAsync(["Sample/a"], None))["Sample/a"].JobId);
        Assert.Empty(await f.Store.ClaimAsync(StoreFixture.Node, 10, None));

        var a1Claim = claimed[0];
        Assert.True(await f.Store.StartAsync(a1, a1Claim.Attempt, None));
        Assert.True((await f.Store.FinishAsync(a1, a1Claim.Attempt, StoreFixture.Finish(JobStatus.CompletedOk), None)).Applied);
        Assert.Equal([a2], (await f.Store.ClaimAsync(StoreFixture.Node, 10, None)).Select(c => c.Job.JobId));
    }

    [Fact]
    public async Task A_claim_looks_past_many_jobs_waiting_for_a_busy_target_to_the_next_runnable_one()
    {
        await using var f = await NewFixtureAsync();
        var holder = await f.SubmitAsync(StoreFixture.Job("busy"));
        for (var i = 0; i < 40; i++)
        {
            await f.SubmitAsync(StoreFixture.Job("busy"));
        }

        var free = await f.SubmitAsync(StoreFixture.Job("free"));
        Assert.Equal([holder], (await f.Store.ClaimAsync(StoreFixture.Node, 1, None)).Select(c => c.Job.JobId));
        // One job asked for, 40 blocked ones ahead of it: the claim pages on until it finds it.
        Assert.Equal([free], (await f.Store.ClaimAsync(StoreFixture.Node, 1, None)).Select(c => c.Job.JobId));
        Assert.Empty(await f.Store.ClaimAsync(StoreFixture.Node, 1, None));
    }

    [Fact]
    public async Task A_target_limit_above_one_lets_that_many_jobs_hold_the_target()
    {
        await using var f = await NewFixtureAsync();
        for (var i = 0; i < 3; i++)
        {
            await f.SubmitAsync(StoreFixture.Job("shared") with { TargetLimit = 2 });
        }

        Assert.Equal(2, (await f.Store.ClaimAsync(StoreFixture.Node, 10, None)).Count);
    }

    [Fact]
    public async Task The_operation_limit_is_respected_at_claim()
    {
        await using var f = await NewFixtureAsync();
        for (var i = 0; i < 3; i++)
        {
            await f.SubmitAsync(StoreFixture.Job($"t{i}") with { OperationLimit = 1 });
        }

        Assert.Single(await f.Store.ClaimAsync(StoreFixture.Node, 10, None));
        Assert.Equal(1, (await f.Store.CountActiveAsync(["Sample/Simulate"], None))["Sample/Simulate"]);
    }

    [Fact]
    public async Task A_busy_target_with_the_retry_later_policy_ends_the_waiting_job_FAILED_BEFORE_COMPLETION_RETRY()
    {
        await using var f = await NewFixtureAsync();
        var holder = await f.SubmitAsync(StoreFixture.Job("vios-1"));
        var waiting = await f.SubmitAsync(StoreFixture.Job("vios-1") with { BusyRetryAfterSeconds = 30 });
        var claimed = await f.Store.ClaimAsync(StoreFixture.Node, 10, None);
        Assert.Equal([holder], claimed.Select(c => c.Job.JobId));
        var job = await f.GetAsync(waiting);
        Assert.Equal(JobStatus.FailedBeforeCompletionRetry, job.Status);
        Assert.Equal(30, job.RetryAfterSeconds);
        Assert.Contains($"job {holder}", job.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_that_waits_for_a_busy_target_past_its_bound_ends_FAILED_BEFORE_COMPLETION_RETRY()
    {
        await using var f = await NewFixtureAsync();
        var holder = await f.SubmitAsync(StoreFixture.Job("lpar"));
        var waiting = await f.SubmitAsync(StoreFixture.Job("lpar") with { BusyMaxWait = TimeSpan.FromMinutes(5), BusyWaitRetryAfterSeconds = 45 });
        await f.Store.ClaimAsync(StoreFixture.Node, 10, None);
        Assert.Equal(JobStatus.NotStarted, (await f.GetAsync(waiting)).Status);
        f.Time.Advance(TimeSpan.FromMinutes(5));
        await f.Store.ClaimAsync(StoreFixture.Node, 10, None);
        var job = await f.GetAsync(waiting);
        Assert.Equal(JobStatus.FailedBeforeCompletionRetry, job.Status);
        Assert.Equal(45, job.RetryAfterSeconds);
        // The holder was claimed by the earlier claim and has not started.
        Assert.Contains($"(held by job {holder})", job.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scheduled_job_is_not_claimed_before_its_time()
    {
        await using var f = await NewFixtureAsync();
        var id = await f.SubmitAsync(StoreFixture.Job() with { NotBefore = f.Time.GetUtcNow().AddMinutes(1) });
        Assert.Empty(await f.Store.ClaimAsync(StoreFixture.Node, 10, None));
        f.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal([id], (await f.Store.ClaimAsync(StoreFixture.Node, 10, None)).Select(c => c.Job.JobId));
    }

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

    [Fact]
    public async Task List_pages_newest_first_and_filters_by_status_operation_group_and_target()
    {
        await using var f = await NewFixtureAsync();
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await f.SubmitAsync(StoreFixture.Job(i % 2 == 0 ? "even" : "odd")));
        }

        var other = await f.SubmitAsync(StoreFixture.Job("x", operation: "PowerOn", group: "LogicalPartition"));
        await f.Store.CancelAsync(ids[0], "x", None);

        var first = await f.Store.ListAsync(new JobQuery { Limit = 4 }, None);
        Assert.Equal([other, ids[4], ids[3], ids[2]], first.Jobs.Select(j => j.JobId));
        Assert.NotNull(first.NextBeforeId);
        var second = await f.Store.ListAsync(new JobQuery { Limit = 4, BeforeId = first.NextBeforeId }, None);
        Assert.Equal([ids[1], ids[0]], second.Jobs.Select(j => j.JobId));
        Assert.Null(second.NextBeforeId);

        Assert.Equal([ids[0]], (await f.Store.ListAsync(new JobQuery { Statuses = [JobStatus.CanceledBeforeStart] }, None)).Jobs.Select(j => j.JobId));
        Assert.Equal([other], (await f.Store.ListAsync(new JobQuery { Operation = "PowerOn" }, None)).Jobs.Select(j => j.JobId));
        Assert.Equal([other], (await f.Store.ListAsync(new JobQuery { Group = "LogicalPartition" }, None)).Jobs.Select(j => j.JobId));
        Assert.Equal([ids[4], ids[2], ids[0]], (await f.Store.ListAsync(new JobQuery { Target = "even" }, None)).Jobs.Select(j => j.JobId));
        Assert.Equal(6, (await f.Store.ListAsync(new JobQuery { Submitter = "tester" }, None)).Jobs.Count);
        Assert.Empty((await f.Store.ListAsync(new JobQuery { SubmittedFrom = f.Time.GetUtcNow().AddSeconds(1) }, None)).Jobs);
    }

    [Fact]
    public async Task Counts_by_status_and_of_jobs_queued_ahead_follow_the_jobs()
    {
        await using var f = await NewFixtureAsync();
        var a = await f.SubmitAsync(StoreFixture.Job("a"));
        var b = await f.SubmitAsync(StoreFixture.Job("b"));
        var c = await f.SubmitAsync(StoreFixture.Job("c"));
        Assert.Equal(2, await f.Store.CountQueuedAheadAsync(c, 1000, None));
        Assert.Equal(1, await f.Store.CountQueuedAheadAsync(c, 1, None));
        await f.StartAsync(a);
        Assert.Equal(1, await f.Store.CountQueuedAheadAsync(c, 1000, None));
        var counts = await f.Store.CountByStatusAsync(None);
        Assert.Equal(2, counts[JobStatus.NotStarted]);
        Assert.Equal(1, counts[JobStatus.Running]);
        Assert.Equal(0, counts[JobStatus.CompletedOk]);
        Assert.Equal(10, counts.Count);

        // A claimed job no longer waits in line, though it is NOT_STARTED until it starts.
        await f.ClaimOneAsync(b);
        Assert.Equal(0, await f.Store.CountQueuedAheadAsync(c, 1000, None));
        Assert.Equal(2, (await f.Store.CountByStatusAsync(None))[JobStatus.NotStarted]);
    }

    [Fact]
    public async Task The_head_of_the_queue_is_its_unclaimed_jobs_in_submit_order_up_to_the_limit()
    {
        await using var f = await NewFixtureAsync();
        var a = await f.SubmitAsync(StoreFixture.Job("a"));
        var b = await f.SubmitAsync(StoreFixture.Job("b"));
        var c = await f.SubmitAsync(StoreFixture.Job("c"));
        var d = await f.SubmitAsync(StoreFixture.Job("d"));
        Assert.Equal([a, b, c, d], await f.Store.QueuedIdsAsync(10, None));
        Assert.Equal([a, b], await f.Store.QueuedIdsAsync(2, None));

        await f.StartAsync(a);
        await f.ClaimOneAsync(b);
        await f.Store.CancelAsync(c, "x", None);
        Assert.Equal([d], await f.Store.QueuedIdsAsync(10, None));
    }

    [Fact]
    public async Task Target_holders_and_operation_counts_answer_for_many_targets_and_operations_at_once()
    {
        await using var f = await NewFixtureAsync();
        var a1 = await f.SubmitAsync(StoreFixture.Job("a") with { OperationLimit = 5 });
        var b1 = await f.SubmitAsync(StoreFixture.Job("b", operation: "Other") with { OperationLimit = 5 });
        await f.SubmitAsync(StoreFixture.Job("a") with { OperationLimit = 5 });
        await f.SubmitAsync(StoreFixture.Job("c"));
        await f.StartAsync(a1);
        await f.ClaimOneAsync(b1);

        var holders = await f.Store.FindTargetHoldersAsync(["Sample/a", "Sample/b", "Sample/c", "Sample/none"], None);
        Assert.Equal(["Sample/a", "Sample/b"], holders.Keys.Order());
        Assert.Equal((a1, JobStatus.Running), (holders["Sample/a"].JobId, holders["Sample/a"].Status));
        Assert.Equal((b1, JobStatus.NotStarted, StoreFixture.Node), (holders["Sample/b"].JobId, holders["Sample/b"].Status, holders["Sample/b"].Node));

        var active = await f.Store.CountActiveAsync(["Sample/Simulate", "Sample/Other", "Sample/Idle"], None);
        Assert.Equal(1, active["Sample/Simulate"]);
        Assert.Equal(1, active["Sample/Other"]);
        Assert.False(active.ContainsKey("Sample/Idle"));
        Assert.Equal(["Sample/Simulate"], (await f.Store.CountActiveAsync(["Sample/Simulate"], None)).Keys);
    }

    [Fact]
    public async Task Every_committed_change_is_published_with_a_growing_version()
    {
        await using var f = await NewFixtureAsync();
        var seen = new List<JobChange>();
        using var subscription = f.Changes.Subscribe(c =>
        {
            lock (seen)
            {
                seen.Add(c);
            }
        });
        var id = await f.SubmitAsync();
        var next = f.Changes.NextChangeAsync(id);
        var claim = await f.StartAsync(id);
        await next.WaitAsync(TimeSpan.FromSeconds(10));
        await f.Store.FinishAsync(id, claim.Attempt, StoreFixture.Finish(JobStatus.CompletedOk), None);
        List<JobChange> changes;
        lock (seen)
        {
            changes = seen.Where(c => c.JobId == id).ToList();
        }

        Assert.Equal(JobStatus.NotStarted, changes[0].Status);
        Assert.Equal(JobStatus.CompletedOk, changes[^1].Status);
        Assert.Equal(changes.Select(c => c.Version).Order(), changes.Select(c => c.Version));
        Assert.Equal((await f.GetAsync(id)).Version, changes[^1].Version);
    }

    [Fact]
    public async Task Parameters_keep_their_JSON_types()
    {
        await using var f = await NewFixtureAsync();
        var id = await f.SubmitAsync(StoreFixture.Job() with
        {
            Parameters = new JsonObject { ["n"] = 5L, ["x"] = 0.25, ["b"] = true, ["s"] = "text with 'quotes' and <tags>" },
        });
        var job = await f.GetAsync(id);
        Assert.Equal(5L, job.Parameters["n"]!.GetValue<long>());
        Assert.Equal(0.25, job.Parameters["x"]!.GetValue<double>());
        Assert.True(job.Parameters["b"]!.GetValue<bool>());
        Assert.Equal("text with 'quotes' and <tags>", job.Parameters["s"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_retry_is_linked_to_an_ended_job_once_and_never_to_one_that_has_not_ended()
    {
        await using var f = await NewFixtureAsync();
        var first = await f.SubmitAsync();
        var running = await f.SubmitAsync(StoreFixture.Job("r"));
        await f.Store.CancelAsync(first, "x", None);
        var retry = (await f.Store.SubmitRetryAsync(first, StoreFixture.Job(), None))!.JobId;
        Assert.Null(await f.Store.SubmitRetryAsync(first, StoreFixture.Job(), None));
        Assert.Null(await f.Store.SubmitRetryAsync(running, StoreFixture.Job(), None));
        var linked = await f.GetAsync(first);
        Assert.Equal(retry, linked.RetriedBy);
        Assert.Equal(JobStatus.CanceledBeforeStart, linked.Status);
        Assert.Equal(first, (await f.GetAsync(retry)).RetryOf);
    }

    [Fact]
    public async Task A_refused_retry_stores_no_job_and_an_accepted_one_is_NOT_STARTED_and_read_back_as_returned()
    {
        await using var f = await NewFixtureAsync();
        var first = await f.SubmitAsync();
        var running = await f.SubmitAsync(StoreFixture.Job("r"));
        Assert.Null(await f.Store.SubmitRetryAsync(running, StoreFixture.Job(), None));
        Assert.Null(await f.Store.SubmitRetryAsync(first + 1000, StoreFixture.Job(), None));
        Assert.Equal(2, (await f.Store.CountByStatusAsync(None)).Values.Sum());

        await f.Store.CancelAsync(first, "x", None);
        var retry = await f.Store.SubmitRetryAsync(first, StoreFixture.Job() with { IdempotencyKey = "not-kept" }, None);
        Assert.NotNull(retry);
        var stored = await f.GetAsync(retry.JobId);
        Assert.Equal(JobStatus.NotStarted, stored.Status);
        Assert.Equal((retry.Operation, retry.Group, retry.RetryOf, retry.Version), (stored.Operation, stored.Group, stored.RetryOf, stored.Version));
        Assert.Null(stored.IdempotencyKey);
        Assert.Equal(3, (await f.Store.CountByStatusAsync(None)).Values.Sum());
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
