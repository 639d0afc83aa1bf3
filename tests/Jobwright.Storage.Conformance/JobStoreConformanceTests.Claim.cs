using System.Text.Json;
using System.Text.Json.Nodes;
using Jobwright.Model;
using Jobwright.Status;
using Jobwright.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Jobwright.Storage.Conformance;

/// <summary>Claiming: submit order, target and operation limits, busy targets, scheduled jobs.</summary>
public abstract partial class JobStoreConformanceTests
{
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
    public async Task Claims_take_higher_priorities_first_and_one_claim_in_four_takes_the_oldest_whatever_its_priority()
    {
        await using var f = await NewFixtureAsync();
        var ids = new List<long>();
        foreach (var priority in new[] { 0, 5, -3, 5, 0 })
        {
            ids.Add(await f.SubmitAsync(StoreFixture.Job() with { Priority = priority }));
        }

        var order = new List<long>();
        for (var claim = 0; claim < 5; claim++)
        {
            var claimed = Assert.Single(await f.Store.ClaimAsync(StoreFixture.Node, 1, None));
            Assert.Equal(new[] { 0, 5, -3, 5, 0 }[ids.IndexOf(claimed.Job.JobId)], claimed.Job.Priority);
            order.Add(claimed.Job.JobId);
        }

        // By priority (5, 5, 0), then the fourth claim takes the oldest left (the -3 job), then the last 0.
        Assert.Equal([ids[1], ids[3], ids[0], ids[2], ids[4]], order);
        Assert.Equal(5, (await f.GetAsync(ids[1])).Priority);
    }

    [Fact]
    public async Task Claims_pass_over_the_jobs_of_a_paused_target_or_operation_until_it_is_resumed()
    {
        await using var f = await NewFixtureAsync();
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);
        Assert.True(await f.Store.PauseAsync(new PauseRecord(PauseKinds.Target, "Sample/lpar-p", "op", at, "maintenance"), None));
        Assert.False(await f.Store.PauseAsync(new PauseRecord(PauseKinds.Target, "Sample/lpar-p", "other", at, null), None));
        Assert.True(await f.Store.PauseAsync(new PauseRecord(PauseKinds.Operation, "Sample/Frozen", "op", at, null), None));
        var onTarget = await f.SubmitAsync(StoreFixture.Job("lpar-p"));
        var ofOperation = await f.SubmitAsync(StoreFixture.Job(operation: "Frozen"));
        var free = await f.SubmitAsync();

        Assert.Equal([free], (await f.Store.ClaimAsync(StoreFixture.Node, 10, None)).Select(c => c.Job.JobId));
        var pauses = await f.Store.ListPausesAsync(None);
        Assert.Equal([new PauseRecord(PauseKinds.Operation, "Sample/Frozen", "op", at, null), new PauseRecord(PauseKinds.Target, "Sample/lpar-p", "op", at, "maintenance")], pauses);

        Assert.True(await f.Store.ResumeAsync(PauseKinds.Target, "Sample/lpar-p", None));
        Assert.False(await f.Store.ResumeAsync(PauseKinds.Target, "Sample/lpar-p", None));
        Assert.Equal([onTarget], (await f.Store.ClaimAsync(StoreFixture.Node, 10, None)).Select(c => c.Job.JobId));
        Assert.True(await f.Store.ResumeAsync(PauseKinds.Operation, "Sample/Frozen", None));
        Assert.Equal([ofOperation], (await f.Store.ClaimAsync(StoreFixture.Node, 10, None)).Select(c => c.Job.JobId));
    }

    [Fact]
    public async Task The_queue_head_is_in_claim_order_higher_priorities_first()
    {
        await using var f = await NewFixtureAsync();
        var low = await f.SubmitAsync(StoreFixture.Job() with { Priority = -1 });
        var plain = await f.SubmitAsync();
        var high = await f.SubmitAsync(StoreFixture.Job() with { Priority = 7 });
        Assert.Equal([high, plain, low], (await f.Store.QueueHeadAsync(10, None)).Select(q => q.JobId));
        Assert.Equal([high, plain], (await f.Store.QueueHeadAsync(2, None)).Select(q => q.JobId));
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
    public async Task A_claim_with_every_queued_job_already_claimed_finds_nothing_and_the_next_job_or_a_due_one_is_found_past_them()
    {
        await using var f = await NewFixtureAsync();
        var first = await f.SubmitAsync();
        var scheduled = await f.SubmitAsync(StoreFixture.Job() with { NotBefore = f.Time.GetUtcNow().AddMinutes(1) });
        Assert.Equal([first], (await f.Store.ClaimAsync(StoreFixture.Node, 10, None)).Select(c => c.Job.JobId));

        // Claimed and not started: still queued, and not claimed again.
        Assert.Empty(await f.Store.ClaimAsync(StoreFixture.Node, 10, None));
        var second = await f.SubmitAsync();
        Assert.Equal([second], (await f.Store.ClaimAsync(StoreFixture.Node, 10, None)).Select(c => c.Job.JobId));
        Assert.Empty(await f.Store.ClaimAsync(StoreFixture.Node, 10, None));

        f.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal([scheduled], (await f.Store.ClaimAsync(StoreFixture.Node, 10, None)).Select(c => c.Job.JobId));
        Assert.Empty(await f.Store.ClaimAsync(StoreFixture.Node, 10, None));
    }
}
