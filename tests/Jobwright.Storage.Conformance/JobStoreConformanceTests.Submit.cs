using System.Text.Json;
using System.Text.Json.Nodes;
using Jobwright.Model;
using Jobwright.Status;
using Jobwright.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Jobwright.Storage.Conformance;

/// <summary>Submitting: a job stored NOT_STARTED as given, idempotency keys, ids, retries.</summary>
public abstract partial class JobStoreConformanceTests
{
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
    public async Task A_submit_tells_whether_its_target_was_free_and_names_the_job_that_holds_it()
    {
        await using var f = await NewFixtureAsync();
        var first = await f.Store.SubmitAsync(StoreFixture.Job("a"), None);
        Assert.True(first.TargetSeenFree);
        Assert.Null(first.TargetHolder);
        // A job in line does not hold its target: only a claimed or running one does.
        var inLine = await f.Store.SubmitAsync(StoreFixture.Job("a"), None);
        Assert.True(inLine.TargetSeenFree);
        Assert.Null(inLine.TargetHolder);

        var claim = await f.ClaimOneAsync(first.Job.JobId);
        var behindClaimed = await f.Store.SubmitAsync(StoreFixture.Job("a"), None);
        Assert.False(behindClaimed.TargetSeenFree);
        Assert.Equal(first.Job.JobId, behindClaimed.TargetHolder?.JobId);

        Assert.True(await f.Store.StartAsync(first.Job.JobId, claim.Attempt, None));
        var behindRunning = await f.Store.SubmitAsync(StoreFixture.Job("a"), None);
        Assert.False(behindRunning.TargetSeenFree);
        Assert.Equal((first.Job.JobId, JobStatus.Running), (behindRunning.TargetHolder?.JobId, behindRunning.TargetHolder?.Status));

        var otherTarget = await f.Store.SubmitAsync(StoreFixture.Job("b"), None);
        Assert.True(otherTarget.TargetSeenFree);
        Assert.Null(otherTarget.TargetHolder);
        var noTarget = await f.Store.SubmitAsync(StoreFixture.Job(), None);
        Assert.False(noTarget.TargetSeenFree);
        Assert.Null(noTarget.TargetHolder);
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
    public async Task A_resolution_is_recorded_once_on_an_ended_job_with_its_linked_job_and_never_on_one_that_has_not_ended()
    {
        await using var f = await NewFixtureAsync();
        var ended = await f.SubmitAsync();
        var waiting = await f.SubmitAsync(StoreFixture.Job("w"));
        await f.Store.CancelAsync(ended, "x", None);
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);
        var rerun = new JobResolution(JobResolutions.Rerun, null, "operator", at, "again");

        Assert.False((await f.Store.ResolveAsync(waiting, rerun, StoreFixture.Job() with { RerunOf = waiting }, None)).Applied);
        Assert.False((await f.Store.ResolveAsync(ended + 1000, rerun, null, None)).Applied);
        Assert.Equal(2, (await f.Store.CountByStatusAsync(None)).Values.Sum());

        var result = await f.Store.ResolveAsync(ended, rerun, StoreFixture.Job() with { RerunOf = ended }, None);
        Assert.True(result.Applied);
        var copy = result.Linked!;
        Assert.Equal(JobStatus.NotStarted, copy.Status);
        Assert.Equal(ended, (await f.GetAsync(copy.JobId)).RerunOf);
        var original = await f.GetAsync(ended);
        Assert.Equal(JobStatus.CanceledBeforeStart, original.Status);
        Assert.Equal(rerun with { JobId = copy.JobId }, original.Resolution);
        Assert.Equal(copy.JobId, original.RerunBy);

        // Once: neither a second rerun nor an acknowledge is recorded, and no second copy is stored.
        Assert.False((await f.Store.ResolveAsync(ended, rerun, StoreFixture.Job() with { RerunOf = ended }, None)).Applied);
        Assert.False((await f.Store.ResolveAsync(ended, new JobResolution(JobResolutions.Manual, null, "op", at, null), null, None)).Applied);
        Assert.Equal(3, (await f.Store.CountByStatusAsync(None)).Values.Sum());
        Assert.Null((await f.GetAsync(waiting)).Resolution);
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
}
