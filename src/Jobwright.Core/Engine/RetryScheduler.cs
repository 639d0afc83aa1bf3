using Jobwright.Diagnostics;
using Jobwright.Model;
using Jobwright.Operations;
using Jobwright.Status;
using Jobwright.Storage;

namespace Jobwright.Engine;

/// <summary>
/// Automatic retry by an operation's policy: a new job linked both ways to the ended one, which keeps its
/// status. The new job and its link are one store write, so a crash leaves both or neither.
/// </summary>
internal sealed class RetryScheduler(IJobStore store, JobwrightMetrics metrics, TimeProvider time, Action wake)
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

        // The retry's trace is its own, linked to the trace of the job it retries.
        using var span = JobTracing.StartSubmit(metrics, operation.QualifiedName, job.Target, retriesTraceParent: job.TraceParent);
        var next = NewJobs.From(operation, job.Target, job.Parameters, job.Submitter, notBefore: time.GetUtcNow() + retry.Delay)
            with { TraceParent = span?.Id, Priority = job.Priority };
        if (await store.SubmitRetryAsync(job.JobId, next, CancellationToken.None).ConfigureAwait(false) is { } created)
        {
            span?.SetTag(SpanAttributes.JobId, created.JobId).SetTag(SpanAttributes.RetryOf, job.JobId);
            metrics.Submitted(operation.QualifiedName);
            wake();
        }
    }
}
