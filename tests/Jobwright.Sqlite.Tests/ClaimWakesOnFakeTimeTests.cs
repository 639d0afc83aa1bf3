using Jobwright.Engine;
using Jobwright.Handlers;
using Jobwright.Model;
using Jobwright.Status;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwright.Sqlite.Tests;

/// <summary>
/// A library node on a SQLite file whose clock never moves (<see cref="FakeTimeProvider"/>), so its once-a-poll
/// claim never comes: every job here starts only because something woke the claim loop or a claim was held to
/// travel with a submit. A lost wake shows as a job that never starts (the test's 30 s limit ends it).
/// </summary>
public sealed class ClaimWakesOnFakeTimeTests : IAsyncDisposable
{
    private readonly FakeClockNode _node = new(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));
    private readonly Gate _gate = new();

    [Fact]
    public async Task Jobs_submitted_one_at_a_time_to_an_idle_node_each_start_and_end()
    {
        var jobs = await StartAsync(workerSlots: 4);
        for (var i = 0; i < 20; i++)
        {
            var submitted = await jobs.SubmitAsync(new JobSubmission { Operation = "Nothing", Group = "Test" }, "test", CancellationToken.None);
            Assert.Equal(JobStatus.CompletedOk, (await TerminalAsync(jobs, submitted.Job.JobId)).Status);
        }
    }

    [Fact]
    public async Task With_one_worker_slot_queued_jobs_start_one_after_another_as_the_slot_frees()
    {
        var jobs = await StartAsync(workerSlots: 1);
        var ids = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add((await jobs.SubmitAsync(new JobSubmission { Operation = "Nothing", Group = "Test" }, "test", CancellationToken.None)).Job.JobId);
        }

        foreach (var id in ids)
        {
            Assert.Equal(JobStatus.CompletedOk, (await TerminalAsync(jobs, id)).Status);
        }
    }

    [Fact]
    public async Task A_job_queued_behind_a_busy_target_starts_when_the_holder_ends_though_slots_were_free_all_along()
    {
        var jobs = await StartAsync(workerSlots: 4);
        var holder = (await jobs.SubmitAsync(new JobSubmission { Operation = "Held", Group = "Test", Target = "lpar-1" }, "test", CancellationToken.None)).Job.JobId;
        await _gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var follower = (await jobs.SubmitAsync(new JobSubmission { Operation = "Nothing", Group = "Test", Target = "lpar-1" }, "test", CancellationToken.None)).Job.JobId;
        Assert.Equal(JobStatus.NotStarted, (await jobs.GetAsync(follower, CancellationToken.None))!.Status);

        // The node's claims found the follower blocked and left its slots free: only the holder's end can wake it.
        _gate.Release.TrySetResult();
        Assert.Equal(JobStatus.CompletedOk, (await TerminalAsync(jobs, holder)).Status);
        Assert.Equal(JobStatus.CompletedOk, (await TerminalAsync(jobs, follower)).Status);
    }

    private static async Task<JobRecord> TerminalAsync(JobService jobs, long jobId)
    {
        // The clock is fake and never moves, so the wait's own timeout never passes: a real-time limit ends it.
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var job = await jobs.WaitForTerminalAsync(jobId, TimeSpan.FromDays(1), limit.Token);
        return job!;
    }

    private Task<JobService> StartAsync(int workerSlots) => _node.StartAsync(
        jobwright => jobwright.AddOperation<NothingHandler>("Nothing", "Test").AddOperation<HeldHandler>("Held", "Test"),
        options => options.WorkerSlots = workerSlots,
        services => services.AddSingleton(_gate));

    public async ValueTask DisposeAsync()
    {
        _gate.Release.TrySetResult();
        await _node.DisposeAsync();
    }

    private sealed class Gate
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class NothingHandler : IJobHandler
    {
        public Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken) => Task.FromResult(JobOutcome.Completed());
    }

    private sealed class HeldHandler(Gate gate) : IJobHandler
    {
        public async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
        {
            gate.Entered.TrySetResult();
            await gate.Release.Task.WaitAsync(cancellationToken);
            return JobOutcome.Completed();
        }
    }
}
