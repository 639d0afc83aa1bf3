using Jobwright.Model;
using Jobwright.Operations;
using Jobwright.Status;
using Jobwright.Storage;

namespace Jobwright.Engine;

/// <summary>
/// Automatic retry by an operation's policy: a new job linked both ways to the ended one, which keeps its
/// status. The new job and its link are one store write, so a crash leaves both or neither.
/// </summary>
internal sealed class RetryScheduler(IJobStore store, TimeProvider time, Action wake)
{
    public async Task RetryIfPolicySaysAsync(JobRecord job, OperationDefinition operation, JobStatus status)
    {
        if (operation.Retry is not { } retry || !retry.On.Contains(status))
        {
            return;
        }

        var attempts = 1;
        for (var previous = job.RetryOf; previous is { } id && attempts < retry.MaxAttempts; attempts++)
        {
            previous = (await store.GetAsync(id, includeHistory: false, CancellationToken.None).ConfigureAwait(false))?.RetryOf;
        }

        if (attempts >= retry.MaxAttempts)
        {
            return;
        }

        var next = NewJobs.From(operation, job.Target, job.Parameters, job.Submitter, notBefore: time.GetUtcNow() + retry.Delay);
        if (await store.SubmitRetryAsync(job.JobId, next, CancellationToken.None).ConfigureAwait(false) is not null)
        {
            wake();
        }
    }
}
