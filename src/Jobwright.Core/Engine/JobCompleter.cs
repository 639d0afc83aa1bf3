using Jobwright.Model;
using Jobwright.Operations;
using Jobwright.Status;
using Jobwright.Storage;
using Microsoft.Extensions.Logging;

namespace Jobwright.Engine;

/// <summary>
/// Writes how a job ended (built by <see cref="OutcomeMapper"/>) to the store, repeating while the store is
/// away, and hands an applied end to the retry policy. The store applies it only if the job is still this
/// attempt's and the transition is legal.
/// </summary>
internal sealed class JobCompleter(IJobStore store, RetryScheduler retries, DispatcherLifetime lifetime, string nodeName, TimeProvider time, ILogger logger)
{
    /// <summary>Ends a job whose handler ended; the slot is given back as soon as the finish is on its way. True when the store applied the end.</summary>
    public async Task<bool> FinishAsync(JobRecord job, long attempt, OperationDefinition operation, JobFinish finish, WorkerSlot slot)
    {
        var finishing = WriteAsync(job.JobId, attempt, finish);
        // The finish is queued: the slot is free for the next claim, which the store then decides after it.
        slot.Release();
        var result = await finishing.ConfigureAwait(false);
        if (!result.Applied)
        {
            Log.FinishRefused(logger, job.JobId, finish.Status.ToWire(), result.Current?.Status.ToWire() ?? "deleted");
            return false;
        }

        Log.JobEnded(logger, job.JobId, operation.QualifiedName, finish.Status.ToWire());
        await retries.RetryIfPolicySaysAsync(job, operation, finish.Status).ConfigureAwait(false);
        return true;
    }

    /// <summary>Ends a claimed job that never began.</summary>
    public Task<FinishResult> FailToStartAsync(JobRecord job, long attempt, string reason)
    {
        Log.JobFailedToStart(logger, job.JobId, reason);
        return WriteAsync(job.JobId, attempt, OutcomeMapper.FailedToStart(reason));
    }

    /// <summary>Whatever failed in the engine, the job must not stay claimed or RUNNING on a node that has moved on.</summary>
    public async Task EndAfterEngineErrorAsync(JobRecord job, long attempt, Exception error)
    {
        var result = await FailToStartAsync(job, attempt, "an internal error kept the handler from starting: " + error.Message).ConfigureAwait(false);
        if (!result.Applied && result.Current is { Status: JobStatus.Running, Node: var node } current && node == nodeName)
        {
            await WriteAsync(job.JobId, attempt, OutcomeMapper.FailedWhileRunning(current, "the node failed while running the job: " + error.Message)).ConfigureAwait(false);
        }
    }

    private Task<FinishResult> WriteAsync(long jobId, long attempt, JobFinish finish) =>
        StoreRetry.UntilDoneAsync(() => store.FinishAsync(jobId, attempt, finish, CancellationToken.None), time, lifetime.GiveUpWrites);
}
