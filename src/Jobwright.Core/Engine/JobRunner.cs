using Jobwright.Diagnostics;
using Jobwright.Handlers;
using Jobwright.Model;
using Jobwright.Operations;
using Jobwright.Status;
using Jobwright.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jobwright.Engine;

/// <summary>
/// Runs one claimed job: prepares it (or ends it FAILED_TO_START), makes its handler, moves it to RUNNING
/// durably before the handler's first instruction, runs the handler and has the completer write its end.
/// A job claimed while the node is stopping is handed back, never begun. The run is one span of the job's
/// trace, and every log line written during it carries the job's id as scope.
/// </summary>
internal sealed class JobRunner(
    IJobStore store, OperationRegistry operations, ParameterProtector protector, IServiceProvider services,
    RunningJobs runs, HandlerExecution execution, JobCompleter completer, DispatcherLifetime lifetime,
    JobwrightMetrics metrics, string nodeName, Action wake, TimeProvider time, ILogger logger)
{
    public async Task RunAsync(ClaimedJob claim, WorkerSlot slot)
    {
        var job = claim.Job;
        using var logScope = logger.BeginScope(new JobLogScope(job.JobId));
        var span = JobTracing.StartRun(metrics, job, nodeName, claim.Attempt);
        RunEnd? end = null;
        try
        {
            end = await RunClaimedAsync(job, claim.Attempt, slot).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.RunFailed(logger, job.JobId, e);
            end = new RunEnd(JobStatus.FailedToStart, e.Message);
            await TryAsync(() => completer.EndAfterEngineErrorAsync(job, claim.Attempt, e)).ConfigureAwait(false);
        }
        finally
        {
            runs.EndRun(job.JobId);
            slot.Release();
            if (end is null || FreesQueuedWork(job))
            {
                // Handed back, or the end freed a target or an operation's limit: queued jobs may start now.
                wake();
            }

            if (end is { } ended)
            {
                JobTracing.EndRun(span, ended.Status, ended.Reason);
            }
            else
            {
                // Handed back or taken by another node: the job did not end here.
                span?.Dispose();
            }
        }
    }

    // A job's end frees its target and its operation's concurrency for the jobs queued behind them.
    private bool FreesQueuedWork(JobRecord job) =>
        job.Target is not null || operations.Find(job.Group, job.Operation) is not { MaxConcurrency: null };

    private async Task<RunEnd?> RunClaimedAsync(JobRecord job, long attempt, WorkerSlot slot)
    {
        var prepared = JobPreparation.Of(job, operations, protector, nodeName);
        if (prepared is not { Operation: { } operation, Parameters: { } parameters })
        {
            return await FailToStartAsync(job, attempt, prepared.FailureReason!).ConfigureAwait(false);
        }

        var mask = SecretMask.For(operation, parameters);
        if (job.Reverts is not null && operation.CreateRevertHandler is null)
        {
            return await FailToStartAsync(job, attempt, $"operation '{operation.QualifiedName}' has no revert handler on node {nodeName}").ConfigureAwait(false);
        }

        var lineage = await LineageAsync(job).ConfigureAwait(false);
        await using var scope = services.CreateAsyncScope();
        IJobHandler handler;
        try
        {
            handler = (job.Reverts is null ? operation.CreateHandler : operation.CreateRevertHandler!)(scope.ServiceProvider);
        }
        catch (Exception e)
        {
            return await FailToStartAsync(job, attempt, mask.Apply($"the handler of '{operation.QualifiedName}' could not be constructed: {e.Message}")).ConfigureAwait(false);
        }

        try
        {
            if (lifetime.IsStopping)
            {
                // Never begun: hand it back so the next start (or another node) runs it.
                await StoreRetry.UntilDoneAsync(() => store.ReleaseAsync(job.JobId, attempt, CancellationToken.None), time, lifetime.GiveUpWrites).ConfigureAwait(false);
                return null;
            }

            using var running = new RunningJob(job.JobId, attempt);
            runs.Register(running);
            if (!await StoreRetry.UntilDoneAsync(() => store.StartAsync(job.JobId, attempt, CancellationToken.None), time, lifetime.GiveUpWrites).ConfigureAwait(false))
            {
                return null;
            }

            var started = time.GetUtcNow();
            metrics.Started(operation.QualifiedName, started - job.TimeSubmitted);
            var finish = await execution.RunAsync(job, attempt, operation, parameters, mask, handler, running, lineage).ConfigureAwait(false);
            var applied = await completer.FinishAsync(job, attempt, operation, finish, slot).ConfigureAwait(false);
            if (applied)
            {
                metrics.Finished(operation.QualifiedName, finish.Status, time.GetUtcNow() - started);
            }

            return applied ? new RunEnd(finish.Status, finish.Error?.Message) : null;
        }
        finally
        {
            await DisposeAsync(handler).ConfigureAwait(false);
        }
    }

    // A complete or a revert job reads the tasks of the job it finishes (a deleted one leaves none to skip or undo).
    private async Task<JobLineage> LineageAsync(JobRecord job)
    {
        if ((job.Resumes ?? job.Reverts) is not { } original)
        {
            return JobLineage.None;
        }

        var read = await StoreRetry.UntilDoneAsync(() => store.GetAsync(original, includeHistory: false, CancellationToken.None), time, lifetime.GiveUpWrites).ConfigureAwait(false);
        return new JobLineage(job.Resumes, job.Reverts, read?.Progress.CompletedTasks ?? []);
    }

    private async Task<RunEnd?> FailToStartAsync(JobRecord job, long attempt, string reason)
    {
        if (!(await completer.FailToStartAsync(job, attempt, reason).ConfigureAwait(false)).Applied)
        {
            return null;
        }

        metrics.Finished($"{job.Group}/{job.Operation}", JobStatus.FailedToStart, ran: null);
        return new RunEnd(JobStatus.FailedToStart, reason);
    }

    private static async ValueTask DisposeAsync(IJobHandler handler)
    {
        switch (handler)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    private async Task TryAsync(Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.ClaimFailed(logger, e);
        }
    }
}
