using System.Text.Json.Nodes;
using Jobwright.Model;
using Jobwright.Status;
using Jobwright.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Jobwright.Storage.Conformance;

/// <summary>A store under test with its clock and change feed, and helpers that drive jobs through it.</summary>
public sealed class StoreFixture(IJobStore store, FakeTimeProvider time, JobChangeFeed changes) : IAsyncDisposable
{
    public const string Node = "node-a";

    public IJobStore Store { get; } = store;

    public FakeTimeProvider Time { get; } = time;

    public JobChangeFeed Changes { get; } = changes;

    public static NewJob Job(string? target = null, string operation = "Simulate", string group = "Sample") => new()
    {
        Operation = operation,
        Group = group,
        Target = target,
        Parameters = new JsonObject { ["durationMs"] = 10 },
        Submitter = "tester",
    };

    public async Task<long> SubmitAsync(NewJob? job = null) =>
        (await Store.SubmitAsync(job ?? Job(), CancellationToken.None)).Job.JobId;

    /// <summary>Claims the next queued job, which must be <paramref name="jobId"/>.</summary>
    public async Task<ClaimedJob> ClaimOneAsync(long jobId)
    {
        var claimed = await Store.ClaimAsync(Node, 1, CancellationToken.None);
        return Assert.Single(claimed, c => c.Job.JobId == jobId);
    }

    public async Task<ClaimedJob> StartAsync(long jobId)
    {
        var claim = await ClaimOneAsync(jobId);
        Assert.True(await Store.StartAsync(jobId, claim.Attempt, CancellationToken.None));
        return claim;
    }

    public static JobFinish Finish(JobStatus status) => new()
    {
        Status = status,
        Snapshot = new JobSnapshot(JobProgress.Empty, new Dictionary<string, string> { ["returnCode"] = "0" }, []),
        RetryAfterSeconds = status == JobStatus.FailedBeforeCompletionRetry ? 30 : null,
        Reason = "test",
    };

    public async Task<JobRecord> GetAsync(long jobId) =>
        await Store.GetAsync(jobId, includeHistory: true, CancellationToken.None) ?? throw new InvalidOperationException($"job {jobId} is gone");

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
