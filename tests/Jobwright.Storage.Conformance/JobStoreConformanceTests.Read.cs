using System.Text.Json;
using System.Text.Json.Nodes;
using Jobwright.Model;
using Jobwright.Status;
using Jobwright.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Jobwright.Storage.Conformance;

/// <summary>The read side: lists, counts, the queue's head, target holders, the change feed.</summary>
public abstract partial class JobStoreConformanceTests
{
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
        Assert.Equal([a, b, c, d], (await f.Store.QueueHeadAsync(10, None)).Select(q => q.JobId));
        Assert.Equal([a, b], (await f.Store.QueueHeadAsync(2, None)).Select(q => q.JobId));

        await f.StartAsync(a);
        await f.ClaimOneAsync(b);
        await f.Store.CancelAsync(c, "x", None);
        Assert.Equal([d], (await f.Store.QueueHeadAsync(10, None)).Select(q => q.JobId));
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
}
